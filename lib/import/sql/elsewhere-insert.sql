-- import-formats.md "elsewhere" → elsewhere_record. $1 = batch id, $2 = line offset. Cleaning once,
-- then inlined functions, as in population-insert.sql. Rows with an empty or unknown scheme or status
-- or an empty region code are left out; the caller names the first (elsewhere-check.sql).
WITH cleaned AS (
  SELECT c.*, textsend(c.id_s) AS id_b
  FROM (
    SELECT s.ln, s.id_number AS id_raw, id_clean(s.id_number) AS id_s, import_text(s.name) AS name,
           import_text(s.scheme) AS scheme, import_text(s.region_code) AS region_code, import_text(s.status) AS status
    FROM import_staging s
    OFFSET 0
  ) c
  OFFSET 0
), typed AS (
  -- Each mapped value computed once: the filter and the INSERT read the same columns.
  SELECT v.ln, v.id_raw, id_from_clean(v.id_s) AS id_number, id_reason_from_clean(v.id_s, v.id_b, p.as_of) AS id_invalid,
         v.name, import_scheme(v.scheme) AS scheme, v.region_code, import_insured_status(v.status) AS status
  FROM cleaned v, (SELECT to_char(current_date, 'YYYYMMDD') AS as_of) p
  OFFSET 0
), inserted AS (
  INSERT INTO elsewhere_record (batch_id, line_no, id_raw, id_number, id_invalid, name, scheme, region_code, status)
  SELECT $1, t.ln + $2, t.id_raw, t.id_number, t.id_invalid, t.name, t.scheme, t.region_code, t.status
  FROM typed t
  WHERE t.scheme IS NOT NULL AND t.region_code IS NOT NULL AND t.status IS NOT NULL
  RETURNING id_invalid
)
SELECT count(*)::int AS loaded, count(id_invalid)::int AS invalid FROM inserted
