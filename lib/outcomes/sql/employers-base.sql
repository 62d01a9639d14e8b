-- statistics.md §5 "Employers for labour inspection" (劳动保障监察), for run $1, the common part
-- (its CTEs) of employers.sql and employer-persons.sql, which continue it.
--
-- Scope: $2 is a region-code prefix (a district's code) or NULL for the whole city. With a prefix,
-- only persons whose statistics region (comparison_result.count_region_code, statistics.md §1)
-- lies in it count; non_local and no-region persons (no count region) count at city level only.
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
     AND ($2::text IS NULL OR starts_with(r.count_region_code, $2::text))
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
), surveyed AS (
  SELECT DISTINCT ON (t.id_number) t.id_number, btrim(f.data ->> 'unitName') AS employer, f.data -> 'reasons' AS reasons
    FROM survey_task t
    JOIN survey_form f ON f.task_id = t.id
   WHERE t.state = 'DISTRICT_APPROVED'
     AND t.id_number IN (SELECT id_number FROM comparison_result
                          WHERE run_id = $1 AND ($2::text IS NULL OR starts_with(count_region_code, $2::text)))
   ORDER BY t.id_number, t.updated_at DESC, t.id DESC
)
