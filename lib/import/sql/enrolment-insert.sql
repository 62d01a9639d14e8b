-- import-formats.md "enrolment" → enrolment_record. $1 = batch id, $2 = line offset. Cleaning once,
-- then inlined functions on the cleaned columns, as in population-insert.sql. An empty region code
-- stays NULL ("empty = the importing city"); empty benefit = no. Rows with an empty or unknown scheme
-- or status, a bad date or a bad yes/no are left out; the caller names the first (enrolment-check.sql).
WITH cleaned AS (
  SELECT c.*, textsend(c.id_s) AS id_b, import_ymd(c.start_text) AS start_ymd
  FROM (
    SELECT s.ln, s.id_number AS id_raw, id_clean(s.id_number) AS id_s, import_text(s.name) AS name,
           import_text(s.scheme) AS scheme, import_text(s.status) AS status, import_text(s.region_code) AS region_code,
           import_text(s.employer) AS employer, import_text(s.start_date) AS start_text,
           import_text(s.benefit) AS benefit
    FROM import_staging s
    OFFSET 0
  ) c
  OFFSET 0
), inserted AS (
  INSERT INTO enrolment_record (batch_id, line_no, id_raw, id_number, id_invalid, name, scheme, status,
    region_code, employer, start_date, benefit)
  SELECT $1, v.ln + $2, v.id_raw, id_from_clean(v.id_s), id_reason_from_clean(v.id_s, v.id_b, p.as_of),
         v.name, import_scheme(v.scheme), import_insured_status(v.status), v.region_code, v.employer,
         ymd_date(v.start_ymd), import_yes_no(v.benefit)
  FROM cleaned v, (SELECT to_char(current_date, 'YYYYMMDD') AS as_of) p
  WHERE import_scheme(v.scheme) IS NOT NULL
    AND import_insured_status(v.status) IS NOT NULL
    AND (v.start_text IS NULL OR ymd_date(v.start_ymd) IS NOT NULL)
    AND import_yes_no(v.benefit) IS NOT NULL
  RETURNING id_invalid
)
SELECT count(*)::int AS loaded, count(id_invalid)::int AS invalid FROM inserted
