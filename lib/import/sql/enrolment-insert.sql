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
), typed AS (
  -- Each mapped value computed once: the filter and the INSERT read the same columns.
  SELECT v.ln, v.id_raw, id_from_clean(v.id_s) AS id_number, id_reason_from_clean(v.id_s, v.id_b, p.as_of) AS id_invalid,
         v.name, import_scheme(v.scheme) AS scheme, import_insured_status(v.status) AS status, v.region_code, v.employer,
         v.start_text, ymd_date(v.start_ymd) AS start_date, import_yes_no(v.benefit) AS benefit
  FROM cleaned v, (SELECT to_char(current_date, 'YYYYMMDD') AS as_of) p
  OFFSET 0
), inserted AS (
  INSERT INTO enrolment_record (batch_id, line_no, id_raw, id_number, id_invalid, name, scheme, status,
    region_code, employer, start_date, benefit)
  SELECT $1, t.ln + $2, t.id_raw, t.id_number, t.id_invalid, t.name, t.scheme, t.status, t.region_code, t.employer,
         t.start_date, t.benefit
  FROM typed t
  WHERE t.scheme IS NOT NULL AND t.status IS NOT NULL AND (t.start_text IS NULL OR t.start_date IS NOT NULL) AND t.benefit IS NOT NULL
  RETURNING id_invalid
)
SELECT count(*)::int AS loaded, count(id_invalid)::int AS invalid FROM inserted
