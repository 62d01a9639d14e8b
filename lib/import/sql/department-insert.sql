-- import-formats.md "department" → department_record. $1 = batch id, $2 = line offset.
WITH inserted AS (
  INSERT INTO department_record (batch_id, line_no, id_raw, id_number, id_invalid, name, kind, date, source)
  SELECT $1, s.ln + $2, s.id_number, normalise_id(s.id_number), id_invalid_reason(s.id_number, current_date),
         import_text(s.name), import_department_kind(s.kind), import_date(s.date), import_text(s.source)
  FROM import_staging s
  RETURNING id_invalid
)
SELECT count(*)::int AS loaded, count(id_invalid)::int AS invalid FROM inserted
