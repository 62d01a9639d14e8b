-- import-formats.md "regions": the first row with an empty or malformed code, an empty name, a code
-- seen on an earlier row, or (below the city) a parent that is neither in the file nor in the region
-- table. $1 = line offset of staging row 1.
WITH staged AS (
  SELECT s.ln, s.code AS code_raw, s.name AS name_raw, s.parent_code AS parent_raw,
         import_text(s.code) AS code, import_text(s.name) AS name, import_text(s.parent_code) AS parent_code,
         row_number() OVER (PARTITION BY import_text(s.code) ORDER BY s.ln) AS nth
  FROM import_staging s
), known AS (
  SELECT code FROM staged WHERE code IS NOT NULL
  UNION
  SELECT code FROM region
)
SELECT line, bad[1] AS field, bad[2] AS reason, bad[3] AS value
FROM (
  SELECT t.ln, t.ln + $1 AS line, CASE
    WHEN t.code IS NULL THEN ARRAY['code', 'empty_value', t.code_raw]
    WHEN t.code !~ '^([0-9]{4}|[0-9]{6}|[0-9]{9}|[0-9]{12})$' THEN ARRAY['code', 'bad_region_code', t.code_raw]
    WHEN t.nth > 1 THEN ARRAY['code', 'duplicate_region_code', t.code_raw]
    WHEN t.name IS NULL THEN ARRAY['name', 'empty_value', t.name_raw]
    WHEN length(t.code) > 4 AND t.parent_code IS NULL THEN ARRAY['parent_code', 'empty_value', t.parent_raw]
    WHEN length(t.code) > 4 AND k.code IS NULL THEN ARRAY['parent_code', 'unknown_parent', t.parent_raw]
  END AS bad
  FROM staged t
  LEFT JOIN known k ON k.code = t.parent_code
) x
WHERE bad IS NOT NULL
ORDER BY ln
LIMIT 1
