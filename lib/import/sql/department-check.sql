-- import-formats.md "department": the first row whose kind is empty or unknown, or whose date is not
-- a date. $1 = line offset of staging row 1.
SELECT line, bad[1] AS field, bad[2] AS reason, bad[3] AS value
FROM (
  SELECT s.ln, s.ln + $1 AS line, CASE
    WHEN import_text(s.kind) IS NULL THEN ARRAY['kind', 'empty_value', s.kind]
    WHEN import_department_kind(s.kind) IS NULL THEN ARRAY['kind', 'bad_value', s.kind]
    WHEN import_text(s.date) IS NOT NULL AND import_date(s.date) IS NULL THEN ARRAY['date', 'bad_date', s.date]
  END AS bad
  FROM import_staging s
) x
WHERE bad IS NOT NULL
ORDER BY ln
LIMIT 1
