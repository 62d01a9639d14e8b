-- import-formats.md "population" → population_record. $1 = batch id, $2 = line offset.
-- Values: trimmed, half-width, codes to their code form (import_* functions, migration
-- 20261125030000_import_more). ID: normalised and checked at the import date (comparison-rules.md §1);
-- a row with an invalid ID is loaded with its reason. Within the file a valid ID seen again keeps its
-- first row and the later ones become invalid with reason duplicate_id (comparison-rules.md §0; the
-- comparison applies the same rule across batches).
WITH typed AS (
  SELECT s.ln, s.id_number AS id_raw, normalise_id(s.id_number) AS id_number,
         id_invalid_reason(s.id_number, current_date) AS id_invalid,
         s.name, s.gender, s.birth_date, s.ethnicity, s.hukou_region_code, s.hukou_address,
         s.residence_region_code, s.residence_address, s.phone, s.status
  FROM import_staging s
), inserted AS (
  INSERT INTO population_record (batch_id, line_no, id_raw, id_number, id_invalid, name, gender, birth_date,
    ethnicity, hukou_region_code, hukou_address, residence_region_code, residence_address, phone, status)
  SELECT $1, t.ln + $2, t.id_raw, t.id_number,
         coalesce(t.id_invalid, CASE WHEN row_number() OVER (PARTITION BY t.id_number, t.id_invalid IS NULL ORDER BY t.ln) > 1
                                     THEN 'duplicate_id' END),
         import_text(t.name), import_gender(t.gender), import_date(t.birth_date), import_text(t.ethnicity),
         import_text(t.hukou_region_code), import_text(t.hukou_address), import_text(t.residence_region_code),
         import_text(t.residence_address), import_text(t.phone), import_population_status(t.status)
  FROM typed t
  RETURNING id_invalid
)
SELECT count(*)::int AS loaded, count(id_invalid)::int AS invalid FROM inserted
