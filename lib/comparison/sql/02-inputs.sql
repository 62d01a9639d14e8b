-- comparison-rules.md §0 and §1: the run's input rows, each with its ID validity on the as-of date.
-- cmp_param (one row: run_id, as_of, as_of_ymd, basis, city, province, prev_run_id) is set up by run.ts.

-- §0 "A run uses all active batches of each kind, and records which" (import order = batch id).
CREATE TEMP TABLE cmp_batch ON COMMIT DROP AS
  SELECT id, kind FROM import_batch WHERE status = 'ACTIVE' AND kind IN ('population', 'enrolment', 'department', 'elsewhere');

UPDATE comparison_run SET input_batch_ids = (SELECT coalesce(array_agg(id ORDER BY id), '{}') FROM cmp_batch)
 WHERE id = (SELECT run_id FROM cmp_param);

-- §1 "ID number": every row of the active population batches with its reason (NULL = valid).
CREATE TEMP TABLE cmp_pop_all ON COMMIT DROP AS
SELECT r.batch_id, r.line_no, r.id_raw, coalesce(r.id_number, '') AS id,
       pg_temp.cmp_id_reason(coalesce(r.id_number, ''), (SELECT as_of_ymd FROM cmp_param)) AS reason
  FROM population_record r
 WHERE r.batch_id IN (SELECT id FROM cmp_batch WHERE kind = 'population');

-- §1 the same for enrolment rows, keeping what the rules read: scheme, status, place, employer, benefit.
-- §1 "Name" normalisation happens here for every record (compared with the population name, §4).
CREATE TEMP TABLE cmp_enr_all ON COMMIT DROP AS
SELECT r.batch_id, r.line_no, r.id_raw, coalesce(r.id_number, '') AS id,
       pg_temp.cmp_id_reason(coalesce(r.id_number, ''), (SELECT as_of_ymd FROM cmp_param)) AS reason,
       pg_temp.cmp_name(r.name) AS name, r.scheme, r.status, nullif(r.region_code, '') AS region,
       coalesce(btrim(r.employer), '') <> '' AS has_employer, r.benefit
  FROM enrolment_record r
 WHERE r.batch_id IN (SELECT id FROM cmp_batch WHERE kind = 'enrolment');

CREATE TEMP TABLE cmp_else_all ON COMMIT DROP AS
SELECT r.batch_id, r.line_no, r.id_raw, coalesce(r.id_number, '') AS id,
       pg_temp.cmp_id_reason(coalesce(r.id_number, ''), (SELECT as_of_ymd FROM cmp_param)) AS reason,
       pg_temp.cmp_name(r.name) AS name, r.scheme, r.status, coalesce(r.region_code, '') AS region
  FROM elsewhere_record r
 WHERE r.batch_id IN (SELECT id FROM cmp_batch WHERE kind = 'elsewhere');

CREATE TEMP TABLE cmp_dept_all ON COMMIT DROP AS
SELECT r.batch_id, r.line_no, r.id_raw, coalesce(r.id_number, '') AS id,
       pg_temp.cmp_id_reason(coalesce(r.id_number, ''), (SELECT as_of_ymd FROM cmp_param)) AS reason, r.kind
  FROM department_record r
 WHERE r.batch_id IN (SELECT id FROM cmp_batch WHERE kind = 'department');

-- §1 "Rows with an invalid ID are set aside as invalid rows of their batch, with the reason".
INSERT INTO comparison_invalid_row (run_id, batch_id, line_no, kind, id_raw, reason)
SELECT (SELECT run_id FROM cmp_param), batch_id, line_no, 'population'::"ImportKind", id_raw, reason FROM cmp_pop_all WHERE reason IS NOT NULL
UNION ALL
SELECT (SELECT run_id FROM cmp_param), batch_id, line_no, 'enrolment', id_raw, reason FROM cmp_enr_all WHERE reason IS NOT NULL
UNION ALL
SELECT (SELECT run_id FROM cmp_param), batch_id, line_no, 'elsewhere', id_raw, reason FROM cmp_else_all WHERE reason IS NOT NULL
UNION ALL
SELECT (SELECT run_id FROM cmp_param), batch_id, line_no, 'department', id_raw, reason FROM cmp_dept_all WHERE reason IS NOT NULL;
