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
), inserted AS (
  INSERT INTO department_record (batch_id, line_no, id_raw, id_number, id_invalid, name, kind, date, source)
  SELECT $1, v.ln + $2, v.id_raw, id_from_clean(v.id_s), id_reason_from_clean(v.id_s, v.id_b, p.as_of),
         v.name, import_department_kind(v.kind), ymd_date(v.date_ymd), v.source
  FROM cleaned v, (SELECT to_char(current_date, 'YYYYMMDD') AS as_of) p
  WHERE import_department_kind(v.kind) IS NOT NULL
    AND (v.date_text IS NULL OR ymd_date(v.date_ymd) IS NOT NULL)
  RETURNING id_invalid
)
SELECT count(*)::int AS loaded, count(id_invalid)::int AS invalid FROM inserted
