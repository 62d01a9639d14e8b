-- import-formats.md "population": the first row whose coded value or date matches nothing, as
-- (line, field, reason, value); no row when the file is clean. $1 = line offset of staging row 1.
SELECT line, bad[1] AS field, bad[2] AS reason, bad[3] AS value
FROM (
  SELECT s.ln, s.ln + $1 AS line, CASE
    WHEN import_text(s.gender) IS NOT NULL AND import_gender(s.gender) IS NULL THEN ARRAY['gender', 'bad_value', s.gender]
    WHEN import_text(s.birth_date) IS NOT NULL AND import_date(s.birth_date) IS NULL THEN ARRAY['birth_date', 'bad_date', s.birth_date]
    WHEN import_population_status(s.status) IS NULL THEN ARRAY['status', 'bad_value', s.status]
  END AS bad
  FROM import_staging s
) x
WHERE bad IS NOT NULL
ORDER BY ln
LIMIT 1
