-- comparison-rules.md §6 survey tasks: the open tasks kept (reason updated) or settled. The new tasks
-- are 08-task-rows.sql, written on the run's second connection (see run.ts).

-- Persons who need a survey (§5 "needs survey": every category but EXCLUDED and CONFIRMED) — but
-- not a person registered by survey whose registry row the run agrees with (01-functions.sql
-- cmp_status: they stay registered, domain.md "The registry"; 09-registry.sql gives the same status).
CREATE UNLOGGED TABLE cmp_needs AS
SELECT o.k, o.id, o.category, f.flags, m.codes AS missing, o.region_code
  FROM cmp_out o
  JOIN cmp_flag_list f ON f.mask = o.flag_mask
  JOIN cmp_scheme_list m ON m.mask = o.missing_mask
 WHERE o.category NOT IN ('EXCLUDED', 'CONFIRMED')
   AND NOT EXISTS (SELECT 1 FROM person p
                    WHERE p.id_number = o.id AND p.status = 'REGISTERED_BY_SURVEY'
                      AND pg_temp.cmp_status(o.category, f.flags, m.codes, p.status, p.category, p.flags, p.missing_schemes) = 'REGISTERED_BY_SURVEY');
ANALYZE cmp_needs;

-- §6 "unless an open task for that person already exists (then it is kept and its reason updated)".
-- Open = not yet decided: PENDING, ASSIGNED, DRAFT, SUBMITTED, STREET_APPROVED, RETURNED. Choice:
-- UNREACHABLE (closed after failed visits), DISTRICT_APPROVED and SETTLED tasks are closed, so a
-- person who needs a survey again gets a new task. The task keeps its community and its workflow
-- state. Only a task whose reason changed is written (and its `version`, the survey workflow's
-- optimistic lock, moves on): an unchanged reason must not invalidate a surveyor's open form.
UPDATE survey_task t
   SET reason = n.category, category = n.category, flags = n.flags, missing_schemes = n.missing,
       updated_run_id = (SELECT run_id FROM cmp_param), version = t.version + 1, updated_at = now()
  FROM cmp_needs n
 WHERE t.id_number = n.id
   AND t.state IN ('PENDING', 'ASSIGNED', 'DRAFT', 'SUBMITTED', 'STREET_APPROVED', 'RETURNED')
   AND (t.category, t.flags, t.missing_schemes) IS DISTINCT FROM (n.category, n.flags, n.missing);

-- §6 "A task whose person no longer needs a survey is closed as settled by the comparison, not
-- deleted" (that includes persons gone from scope).
UPDATE survey_task t
   SET state = 'SETTLED', closed_at = now(), updated_run_id = (SELECT run_id FROM cmp_param),
       version = t.version + 1, updated_at = now()
 WHERE t.state IN ('PENDING', 'ASSIGNED', 'DRAFT', 'SUBMITTED', 'STREET_APPROVED', 'RETURNED')
   AND NOT EXISTS (SELECT 1 FROM cmp_needs n WHERE n.id = t.id_number);
