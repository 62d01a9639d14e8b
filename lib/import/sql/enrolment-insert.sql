-- import-formats.md "enrolment" → enrolment_record. $1 = batch id, $2 = line offset. An empty region
-- code stays NULL ("empty = the importing city"); empty benefit = no.
WITH inserted AS (
  INSERT INTO enrolment_record (batch_id, line_no, id_raw, id_number, id_invalid, name, scheme, status,
    region_code, employer, start_date, benefit)
  SELECT $1, s.ln + $2, s.id_number, normalise_id(s.id_number), id_invalid_reason(s.id_number, current_date),
         import_text(s.name), import_scheme(s.scheme), import_insured_status(s.status), import_text(s.region_code),
         import_text(s.employer), import_date(s.start_date), import_yes_no(s.benefit)
  FROM import_staging s
  RETURNING id_invalid
)
SELECT count(*)::int AS loaded, count(id_invalid)::int AS invalid FROM inserted
