-- statistics.md §5 "Employers for labour inspection" (劳动保障监察), for run $1.
--
-- The persons: every person of the run who is not EXCLUDED and whose flags include
-- missing_employee_schemes (whatever else the category; non_local persons included).
-- Their employers: each distinct employer named on their active local 110 or 310 records —
-- the records of the run's input batches (comparison_run.input_batch_ids, comparison-rules.md §0),
-- "same record twice" merged as the comparison merges them (§1: rows equal in ID, scheme,
-- region_code and status are one record, the first in import order, whose employer is the record's;
-- 04-records.sql), local = a region code in the city or none (§3), active = status 1, or a pension
-- benefit on 110 (§3), the employer text as the import stored it, compared exactly; empty ignored.
-- Per employer: the persons, and of them how many miss each of 110, 310, 210, 410, 510.
-- Persons of the run whose approved survey (district 审定) gives the reason 单位未予参保
-- (EMPLOYER_DID_NOT_ENROL) with a unit name are added under that name, counted apart
-- (persons_from_survey); the latest approved survey of a person counts.
-- Sorted by persons descending, then employer in code-point order (COLLATE "C" on UTF-8).
WITH run AS (
  SELECT id, input_batch_ids, city_code FROM comparison_run WHERE id = $1
), persons AS (
  SELECT r.id_number, r.missing_schemes
    FROM comparison_result r
   WHERE r.run_id = $1 AND r.category <> 'EXCLUDED' AND 'missing_employee_schemes' = ANY (r.flags)
), records AS (
  SELECT DISTINCT ON (e.id_number, e.scheme, coalesce(e.region_code, ''), e.status)
         e.id_number, e.scheme, e.region_code, e.status, e.employer, e.benefit
    FROM enrolment_record e
   WHERE e.batch_id = ANY ((SELECT input_batch_ids FROM run)::int[])
     AND e.id_number IN (SELECT id_number FROM persons)
   ORDER BY e.id_number, e.scheme, coalesce(e.region_code, ''), e.status, e.batch_id, e.line_no
), named AS (
  SELECT DISTINCT rec.employer, p.id_number, p.missing_schemes
    FROM records rec
    JOIN persons p USING (id_number)
   WHERE rec.scheme IN ('110', '310')
     AND (rec.status = 1 OR (rec.scheme = '110' AND rec.benefit))
     AND (coalesce(rec.region_code, '') = '' OR starts_with(rec.region_code, (SELECT city_code FROM run)))
     AND coalesce(btrim(rec.employer), '') <> ''
), by_employer AS (
  SELECT employer, count(*)::int AS persons,
         count(*) FILTER (WHERE '110' = ANY (missing_schemes))::int AS missing_110,
         count(*) FILTER (WHERE '310' = ANY (missing_schemes))::int AS missing_310,
         count(*) FILTER (WHERE '210' = ANY (missing_schemes))::int AS missing_210,
         count(*) FILTER (WHERE '410' = ANY (missing_schemes))::int AS missing_410,
         count(*) FILTER (WHERE '510' = ANY (missing_schemes))::int AS missing_510
    FROM named
   GROUP BY employer
), surveyed AS (
  SELECT DISTINCT ON (t.id_number) t.id_number, btrim(f.data ->> 'unitName') AS employer, f.data -> 'reasons' AS reasons
    FROM survey_task t
    JOIN survey_form f ON f.task_id = t.id
   WHERE t.state = 'DISTRICT_APPROVED'
     AND t.id_number IN (SELECT id_number FROM comparison_result WHERE run_id = $1)
   ORDER BY t.id_number, t.updated_at DESC, t.id DESC
), by_survey AS (
  SELECT employer, count(*)::int AS persons_from_survey
    FROM surveyed
   WHERE reasons ? 'EMPLOYER_DID_NOT_ENROL' AND coalesce(employer, '') <> ''
   GROUP BY employer
)
SELECT * FROM (
SELECT coalesce(e.employer, s.employer) AS employer,
       coalesce(e.persons, 0) AS persons,
       coalesce(e.missing_110, 0) AS missing_110, coalesce(e.missing_310, 0) AS missing_310,
       coalesce(e.missing_210, 0) AS missing_210, coalesce(e.missing_410, 0) AS missing_410,
       coalesce(e.missing_510, 0) AS missing_510,
       coalesce(s.persons_from_survey, 0) AS persons_from_survey
  FROM by_employer e
  FULL JOIN by_survey s ON s.employer = e.employer
) rows
 ORDER BY persons DESC, employer COLLATE "C";
