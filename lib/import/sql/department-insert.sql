-- import-formats.md "department" → department_record. $1 = batch id, $2 = line offset. Cleaning once,
-- then inlined functions, as in population-insert.sql. Rows with an empty or unknown kind or a bad
-- date are left out; the caller names the first (department-check.sql).
WITH cleaned AS (
  SELECT c.*, textsend(c.id_s) AS id_b, import_ymd(c.date_text) AS date_ymd
  FROM (
    SELECT s.ln, s.id_number AS id_raw, id_clean(s.id_number) AS id_s, import_text(s.name) AS name,
           import_text(s.kind) AS kind, import_text(s.date) AS date_text,
           import_text(s.source) AS source
    FROM import_staging s
    OFFSET 0
  ) c
  OFFSET 0
), typed AS (
  -- Each mapped value computed once: the filter and the INSERT read the same columns.
  SELECT v.ln, v.id_raw, id_from_clean(v.id_s) AS id_number, id_reason_from_clean(v.id_s, v.id_b, p.as_of) AS id_invalid,
         v.name, import_department_kind(v.kind) AS kind, v.date_text, ymd_date(v.date_ymd) AS date, v.source
  FROM cleaned v, (SELECT to_char(current_date, 'YYYYMMDD') AS as_of) p
  OFFSET 0
), inserted AS (
  INSERT INTO department_record (batch_id, line_no, id_raw, id_number, id_invalid, name, kind, date, source)
  SELECT $1, t.ln + $2, t.id_raw, t.id_number, t.id_invalid, t.name, t.kind, t.date, t.source
  FROM typed t
  WHERE t.kind IS NOT NULL AND (t.date_text IS NULL OR t.date IS NOT NULL)
  RETURNING id_invalid
)
SELECT count(*)::int AS loaded, count(id_invalid)::int AS invalid FROM inserted
