-- comparison-rules.md §0 and §1: the run's input rows, each with its ID validity on the as-of date.
-- cmp_param (one row: run_id, as_of, as_of_ymd, basis, city, province, prev_run_id) is set up by run.ts.

-- §0 "A run uses all active batches of each kind, and records which" (import order = batch id).
CREATE UNLOGGED TABLE cmp_batch AS
  SELECT id, kind FROM import_batch WHERE status = 'ACTIVE' AND kind IN ('population', 'enrolment', 'department', 'elsewhere');

UPDATE comparison_run SET input_batch_ids = (SELECT coalesce(array_agg(id ORDER BY id), '{}') FROM cmp_batch)
 WHERE id = (SELECT run_id FROM cmp_param);

-- (The as-of date comes from a join, not a sub-select: a sub-select argument would stop PostgreSQL
-- from inlining the functions, and a per-row function call costs ten times more.)
-- §1 "ID number": every row of the active population batches with its reason (NULL = valid).
-- `k` is the person key of a valid ID (01-functions.sql cmp_key). Each row carries what 03 keeps of
-- it, so that the kept rows need not be read again: §1 "Name" normalised; empty region codes are
-- "missing" (NULL).
CREATE UNLOGGED TABLE cmp_pop_all AS
SELECT t.*, CASE WHEN t.reason IS NULL THEN pg_temp.cmp_key(t.id) END AS k
  FROM (SELECT r.batch_id, r.line_no, r.id_raw, coalesce(r.id_number, '') AS id,
               pg_temp.cmp_id_reason_on(r.id_invalid, r.id_number, p.as_of_ymd) AS reason,
               pg_temp.cmp_name(r.name) AS name, r.gender, r.birth_date, r.ethnicity,
               nullif(r.hukou_region_code, '') AS hukou, r.hukou_address,
               nullif(r.residence_region_code, '') AS residence, r.residence_address, r.phone, r.status
          FROM population_record r CROSS JOIN cmp_param p
         WHERE r.batch_id IN (SELECT id FROM cmp_batch WHERE kind = 'population')) t;

-- §1 the same for enrolment rows: only the invalid ones are copied here (the valid ones, most of
-- the data, are read once, straight from enrolment_record, in 04-records.sql).
CREATE UNLOGGED TABLE cmp_enr_invalid AS
SELECT batch_id, line_no, id_raw, reason
  FROM (SELECT r.batch_id, r.line_no, r.id_raw, pg_temp.cmp_id_reason_on(r.id_invalid, r.id_number, p.as_of_ymd) AS reason
          FROM enrolment_record r CROSS JOIN cmp_param p
         WHERE r.batch_id IN (SELECT id FROM cmp_batch WHERE kind = 'enrolment')) t
 WHERE reason IS NOT NULL;

CREATE UNLOGGED TABLE cmp_else_all AS
SELECT t.*, CASE WHEN t.reason IS NULL THEN pg_temp.cmp_key(t.id) END AS k
  FROM (SELECT r.batch_id, r.line_no, r.id_raw, coalesce(r.id_number, '') AS id,
               pg_temp.cmp_id_reason_on(r.id_invalid, r.id_number, p.as_of_ymd) AS reason,
               pg_temp.cmp_name(r.name) AS name, r.scheme, r.status, coalesce(r.region_code, '') AS region
          FROM elsewhere_record r CROSS JOIN cmp_param p
         WHERE r.batch_id IN (SELECT id FROM cmp_batch WHERE kind = 'elsewhere')) t;

CREATE UNLOGGED TABLE cmp_dept_all AS
SELECT t.*, CASE WHEN t.reason IS NULL THEN pg_temp.cmp_key(t.id) END AS k
  FROM (SELECT r.batch_id, r.line_no, r.id_raw, coalesce(r.id_number, '') AS id,
               pg_temp.cmp_id_reason_on(r.id_invalid, r.id_number, p.as_of_ymd) AS reason, r.kind
          FROM department_record r CROSS JOIN cmp_param p
         WHERE r.batch_id IN (SELECT id FROM cmp_batch WHERE kind = 'department')) t;

-- §1 "Rows with an invalid ID are set aside as invalid rows of their batch, with the reason".
INSERT INTO comparison_invalid_row (run_id, batch_id, line_no, kind, id_raw, reason)
SELECT (SELECT run_id FROM cmp_param), batch_id, line_no, 'population'::"ImportKind", id_raw, reason FROM cmp_pop_all WHERE reason IS NOT NULL
UNION ALL
SELECT (SELECT run_id FROM cmp_param), batch_id, line_no, 'enrolment', id_raw, reason FROM cmp_enr_invalid
UNION ALL
SELECT (SELECT run_id FROM cmp_param), batch_id, line_no, 'elsewhere', id_raw, reason FROM cmp_else_all WHERE reason IS NOT NULL
UNION ALL
SELECT (SELECT run_id FROM cmp_param), batch_id, line_no, 'department', id_raw, reason FROM cmp_dept_all WHERE reason IS NOT NULL;
