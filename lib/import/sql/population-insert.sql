-- import-formats.md "population" → population_record. $1 = batch id, $2 = line offset.
-- Every value is cleaned once (import_text: trim, half-width, empty → NULL) in the OFFSET 0 subquery,
-- which keeps PostgreSQL from copying the cleaning into each later use; the functions applied to
-- the cleaned columns are then inlined (migration 20261125060000_import_speed). The ID is normalised
-- and checked at the import date exactly as normalise_id / id_invalid_reason do (comparison-rules.md
-- §1); a row with an invalid ID is loaded with its reason. A repeated ID is left to the comparison
-- (comparison-rules.md §0: duplicate_id is decided across all active population batches, in import
-- order). Rows with a value that matches nothing are left out: the caller compares the counts and
-- names the first such row (population-check.sql).
WITH cleaned AS (
  SELECT c.*, textsend(c.id_s) AS id_b, import_ymd(c.birth_text) AS birth_ymd
  FROM (
    SELECT s.ln, s.id_number AS id_raw, id_clean(s.id_number) AS id_s,
           import_text(s.name) AS name, import_text(s.gender) AS gender,
           import_text(s.birth_date) AS birth_text,
           import_text(s.ethnicity) AS ethnicity, import_text(s.hukou_region_code) AS hukou_region_code,
           import_text(s.hukou_address) AS hukou_address, import_text(s.residence_region_code) AS residence_region_code,
           import_text(s.residence_address) AS residence_address, import_text(s.phone) AS phone, import_text(s.status) AS status
    FROM import_staging s
    OFFSET 0
  ) c
  OFFSET 0
), typed AS (
  -- Each mapped value computed once: the filter and the INSERT read the same columns.
  SELECT v.ln, v.id_raw, id_from_clean(v.id_s) AS id_number, id_reason_from_clean(v.id_s, v.id_b, p.as_of) AS id_invalid,
         v.name, v.gender AS gender_text, import_gender(v.gender) AS gender, v.birth_text, ymd_date(v.birth_ymd) AS birth_date,
         v.ethnicity, v.hukou_region_code, v.hukou_address, v.residence_region_code, v.residence_address, v.phone,
         import_population_status(v.status) AS status
  FROM cleaned v, (SELECT to_char(current_date, 'YYYYMMDD') AS as_of) p
  OFFSET 0
), inserted AS (
  INSERT INTO population_record (batch_id, line_no, id_raw, id_number, id_invalid, name, gender, birth_date,
    ethnicity, hukou_region_code, hukou_address, residence_region_code, residence_address, phone, status)
  SELECT $1, t.ln + $2, t.id_raw, t.id_number, t.id_invalid, t.name, t.gender, t.birth_date, t.ethnicity,
         t.hukou_region_code, t.hukou_address, t.residence_region_code, t.residence_address, t.phone, t.status
  FROM typed t
  WHERE (t.gender_text IS NULL OR t.gender IS NOT NULL)
    AND (t.birth_text IS NULL OR t.birth_date IS NOT NULL)
    AND t.status IS NOT NULL
  RETURNING id_invalid
)
SELECT count(*)::int AS loaded, count(id_invalid)::int AS invalid FROM inserted
