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
), inserted AS (
  INSERT INTO elsewhere_record (batch_id, line_no, id_raw, id_number, id_invalid, name, scheme, region_code, status)
  SELECT $1, v.ln + $2, v.id_raw, id_from_clean(v.id_s), id_reason_from_clean(v.id_s, v.id_b, p.as_of),
         v.name, import_scheme(v.scheme), v.region_code, import_insured_status(v.status)
  FROM cleaned v, (SELECT to_char(current_date, 'YYYYMMDD') AS as_of) p
  WHERE import_scheme(v.scheme) IS NOT NULL
    AND v.region_code IS NOT NULL
    AND import_insured_status(v.status) IS NOT NULL
  RETURNING id_invalid
)
SELECT count(*)::int AS loaded, count(id_invalid)::int AS invalid FROM inserted
