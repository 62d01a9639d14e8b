-- import-formats.md "elsewhere": the first row whose scheme, region code or status is empty, or whose
-- scheme or status matches nothing. $1 = line offset of staging row 1.
SELECT line, bad[1] AS field, bad[2] AS reason, bad[3] AS value
FROM (
  SELECT s.ln, s.ln + $1 AS line, CASE
    WHEN import_text(s.scheme) IS NULL THEN ARRAY['scheme', 'empty_value', s.scheme]
    WHEN import_scheme(s.scheme) IS NULL THEN ARRAY['scheme', 'bad_value', s.scheme]
    WHEN import_text(s.region_code) IS NULL THEN ARRAY['region_code', 'empty_value', s.region_code]
    WHEN import_text(s.status) IS NULL THEN ARRAY['status', 'empty_value', s.status]
    WHEN import_insured_status(s.status) IS NULL THEN ARRAY['status', 'bad_value', s.status]
  END AS bad
  FROM import_staging s
) x
WHERE bad IS NOT NULL
ORDER BY ln
LIMIT 1
