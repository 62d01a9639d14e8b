-- import-formats.md "elsewhere" → elsewhere_record. $1 = batch id, $2 = line offset.
WITH inserted AS (
  INSERT INTO elsewhere_record (batch_id, line_no, id_raw, id_number, id_invalid, name, scheme, region_code, status)
  SELECT $1, s.ln + $2, s.id_number, normalise_id(s.id_number), id_invalid_reason(s.id_number, current_date),
         import_text(s.name), import_scheme(s.scheme), import_text(s.region_code), import_insured_status(s.status)
  FROM import_staging s
  RETURNING id_invalid
)
SELECT count(*)::int AS loaded, count(id_invalid)::int AS invalid FROM inserted
