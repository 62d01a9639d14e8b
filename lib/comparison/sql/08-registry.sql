-- comparison-rules.md §6 survey tasks, and the registry (domain.md "The registry"): what the run
-- changes outside its own result tables.

-- Persons who need a survey (§5 "needs survey": every category but EXCLUDED and CONFIRMED).
CREATE UNLOGGED TABLE cmp_needs AS
SELECT o.k, o.id, o.category, f.flags, m.codes AS missing, o.region_code
  FROM cmp_out o
  JOIN cmp_flag_list f ON f.mask = o.flag_mask
  JOIN cmp_scheme_list m ON m.mask = o.missing_mask
 WHERE o.category NOT IN ('EXCLUDED', 'CONFIRMED');
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

-- §6 "For every person who needs a survey, a survey task in the chosen region". Choice: a person
-- without a known community (no_region, non-local: §5 "no survey region") gets no task; the city
-- sees them in the run's person list.
INSERT INTO survey_task (id_number, region_code, state, reason, category, flags, missing_schemes, created_run_id, updated_run_id)
SELECT n.id, n.region_code, 'PENDING', n.category, n.category, n.flags, n.missing,
       (SELECT run_id FROM cmp_param), (SELECT run_id FROM cmp_param)
  FROM cmp_needs n
 WHERE n.region_code IS NOT NULL
   AND NOT EXISTS (SELECT 1 FROM survey_task t WHERE t.id_number = n.id
                     AND t.state IN ('PENDING', 'ASSIGNED', 'DRAFT', 'SUBMITTED', 'STREET_APPROVED', 'RETURNED'))
 ORDER BY n.k;

-- The registry: one row per person in scope with basic data from the population record (or the
-- first local enrolment record's name), the latest result and the registration status:
-- EXCLUDED → EXCLUDED; needs a survey → NEEDS_SURVEY; CONFIRMED → CONFIRMED_BY_COMPARISON, except
-- that a person REGISTERED_BY_SURVEY stays so when the run agrees (no survey needed). Choice: basic
-- data of a person registered by survey is not overwritten (the approved survey is newer).
-- Codes longer than a region code are not region codes: kept out of the registry's columns.
-- (An UPDATE of the persons already registered, then a plain INSERT of the new ones: cheaper than
-- INSERT … ON CONFLICT, whose speculative insertion costs extra on every one of a million rows.)
UPDATE person pr SET
  name = CASE WHEN pr.status = 'REGISTERED_BY_SURVEY' THEN pr.name ELSE coalesce(o.name, '') END,
  gender = CASE WHEN pr.status = 'REGISTERED_BY_SURVEY' THEN pr.gender ELSE o.gender END,
  birth_date = CASE WHEN pr.status = 'REGISTERED_BY_SURVEY' THEN pr.birth_date ELSE o.birth_date END,
  ethnicity = CASE WHEN pr.status = 'REGISTERED_BY_SURVEY' THEN pr.ethnicity ELSE o.ethnicity END,
  hukou_region_code = CASE WHEN pr.status = 'REGISTERED_BY_SURVEY' THEN pr.hukou_region_code
                           WHEN length(o.hukou) <= 12 THEN o.hukou END,
  hukou_address = CASE WHEN pr.status = 'REGISTERED_BY_SURVEY' THEN pr.hukou_address ELSE o.hukou_address END,
  residence_region_code = CASE WHEN pr.status = 'REGISTERED_BY_SURVEY' THEN pr.residence_region_code
                               WHEN length(o.residence) <= 12 THEN o.residence END,
  residence_address = CASE WHEN pr.status = 'REGISTERED_BY_SURVEY' THEN pr.residence_address ELSE o.residence_address END,
  phone = CASE WHEN pr.status = 'REGISTERED_BY_SURVEY' THEN pr.phone ELSE o.phone END,
  survey_region_code = o.count_region,
  category = o.category,
  flags = o.flags,
  missing_schemes = o.missing,
  status = (CASE o.category WHEN 'EXCLUDED' THEN 'EXCLUDED'
                            WHEN 'CONFIRMED' THEN CASE WHEN pr.status = 'REGISTERED_BY_SURVEY' THEN 'REGISTERED_BY_SURVEY' ELSE 'CONFIRMED_BY_COMPARISON' END
                            ELSE 'NEEDS_SURVEY' END)::"RegistrationStatus",
  last_run_id = (SELECT run_id FROM cmp_param),
  version = pr.version + 1,
  updated_at = now()
  FROM (SELECT o.*, f.flags, m.codes AS missing
          FROM cmp_out o
          JOIN cmp_flag_list f ON f.mask = o.flag_mask
          JOIN cmp_scheme_list m ON m.mask = o.missing_mask) o
 WHERE pr.id_number = o.id;

INSERT INTO person (id_number, name, gender, birth_date, ethnicity, hukou_region_code, hukou_address,
                    residence_region_code, residence_address, phone, survey_region_code, category,
                    flags, missing_schemes, status, last_run_id)
SELECT o.id, coalesce(o.name, ''), o.gender, o.birth_date, o.ethnicity,
       CASE WHEN length(o.hukou) <= 12 THEN o.hukou END, o.hukou_address,
       CASE WHEN length(o.residence) <= 12 THEN o.residence END, o.residence_address, o.phone,
       o.count_region, o.category, f.flags, m.codes,
       (CASE o.category WHEN 'EXCLUDED' THEN 'EXCLUDED' WHEN 'CONFIRMED' THEN 'CONFIRMED_BY_COMPARISON'
                        ELSE 'NEEDS_SURVEY' END)::"RegistrationStatus",
       (SELECT run_id FROM cmp_param)
  FROM cmp_out o
  JOIN cmp_flag_list f ON f.mask = o.flag_mask
  JOIN cmp_scheme_list m ON m.mask = o.missing_mask
 WHERE NOT EXISTS (SELECT 1 FROM person pr WHERE pr.id_number = o.id)
 ORDER BY o.k; -- in key order, like the results
