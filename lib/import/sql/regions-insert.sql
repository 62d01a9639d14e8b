-- import-formats.md "regions" → the region table (upsert: a file may rename or re-parent a region).
-- Level follows from the code length (4 city, 6 district, 9 street, 12 community); the city has no
-- parent. Regions keep no per-batch rows: the batch records the file and its counts.
WITH upserted AS (
  INSERT INTO region (code, name, level, parent_code)
  SELECT code, name,
         (CASE length(code) WHEN 4 THEN 'CITY' WHEN 6 THEN 'DISTRICT' WHEN 9 THEN 'STREET' ELSE 'COMMUNITY' END)::"RegionLevel",
         CASE WHEN length(code) = 4 THEN NULL ELSE parent_code END
  FROM (SELECT import_text(s.code) AS code, import_text(s.name) AS name, import_text(s.parent_code) AS parent_code
        FROM import_staging s) staged
  ORDER BY length(code), code
  ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, level = EXCLUDED.level, parent_code = EXCLUDED.parent_code
  RETURNING code
)
SELECT count(*)::int AS loaded, 0 AS invalid FROM upserted
