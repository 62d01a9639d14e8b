-- import-formats.md "enrolment": the first row whose scheme, status, date or yes/no value is empty
-- where required or matches nothing. $1 = line offset of staging row 1.
SELECT line, bad[1] AS field, bad[2] AS reason, bad[3] AS value
FROM (
  SELECT s.ln, s.ln + $1 AS line, CASE
    WHEN import_text(s.scheme) IS NULL THEN ARRAY['scheme', 'empty_value', s.scheme]
    WHEN import_scheme(s.scheme) IS NULL THEN ARRAY['scheme', 'bad_value', s.scheme]
    WHEN import_text(s.status) IS NULL THEN ARRAY['status', 'empty_value', s.status]
    WHEN import_insured_status(s.status) IS NULL THEN ARRAY['status', 'bad_value', s.status]
    WHEN import_text(s.start_date) IS NOT NULL AND import_date(s.start_date) IS NULL THEN ARRAY['start_date', 'bad_date', s.start_date]
    WHEN import_yes_no(s.benefit) IS NULL THEN ARRAY['benefit', 'bad_value', s.benefit]
  END AS bad
  FROM import_staging s
) x
WHERE bad IS NOT NULL
ORDER BY ln
LIMIT 1
