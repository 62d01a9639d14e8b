-- 考核 (seed 000 九2, seed 004 第34–35条): indicators per region for the survey tasks of run $1, in
-- the region prefix $2, grouped by the first $3 characters of the task's region code (6: districts,
-- 9: streets), as of the end of the period [$4, $5] (dates, China time), with the run's deadline $6
-- (a date or NULL). All from the task events (task_event), which the workflow writes for every step.
--
--   tasks        the run's tasks in the region (created_run_id = $1), except those a later comparison
--                settled (SETTLED: nothing left to survey)
--   completed    of tasks: approved by the district (an event to DISTRICT_APPROVED) on or before $5
--   overdue      of tasks, when the deadline lies before $5: not approved on or before the deadline
--                (open past it, whether still open or approved late); 0 without a deadline or before it
--   median_days  median days from release (first release event) to the first district approval, of
--                the completed tasks that were released
--   submitted    of tasks: submitted (a submit event) on or before $5
--   returned     of submitted: returned at least once (a return event) on or before $5
--   checked / passed  spot-check records of the region re-verified within [$4, $5] / found consistent
WITH t AS (
  SELECT s.id, left(s.region_code, $3) AS region,
         (SELECT min(e.at) FROM task_event e WHERE e.task_id = s.id AND e.event = 'release') AS released,
         (SELECT min(e.at) FROM task_event e WHERE e.task_id = s.id AND e.to_state = 'DISTRICT_APPROVED' AND e.from_state <> 'DISTRICT_APPROVED') AS approved,
         (SELECT min(e.at) FROM task_event e WHERE e.task_id = s.id AND e.event = 'submit') AS submitted,
         (SELECT min(e.at) FROM task_event e WHERE e.task_id = s.id AND e.event = 'return') AS returned
    FROM survey_task s
   WHERE s.created_run_id = $1 AND starts_with(s.region_code, $2::text) AND s.state <> 'SETTLED'
), d AS (
  SELECT id, region, released,
         CASE WHEN (approved AT TIME ZONE 'Asia/Shanghai')::date <= $5::date THEN approved END AS approved,
         (submitted AT TIME ZONE 'Asia/Shanghai')::date <= $5::date AS was_submitted,
         (returned AT TIME ZONE 'Asia/Shanghai')::date <= $5::date AS was_returned,
         $6::date IS NOT NULL AND $6::date < $5::date
           AND (approved IS NULL OR (approved AT TIME ZONE 'Asia/Shanghai')::date > $6::date) AS is_overdue
    FROM t
), by_region AS (
  SELECT region,
         count(*)::int AS tasks,
         count(approved)::int AS completed,
         count(*) FILTER (WHERE is_overdue)::int AS overdue,
         (percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM approved - released) / 86400)
            FILTER (WHERE approved IS NOT NULL AND released IS NOT NULL))::float8 AS median_days,
         count(*) FILTER (WHERE was_submitted)::int AS submitted,
         count(*) FILTER (WHERE was_submitted AND was_returned)::int AS returned
    FROM d
   GROUP BY region
), checks AS (
  SELECT left(i.region_code, $3) AS region, count(*)::int AS checked, count(*) FILTER (WHERE i.result = 'PASS')::int AS passed
    FROM spot_check_item i
   WHERE starts_with(i.region_code, $2::text) AND i.result IS NOT NULL
     AND (i.checked_at AT TIME ZONE 'Asia/Shanghai')::date BETWEEN $4::date AND $5::date
   GROUP BY 1
)
SELECT coalesce(b.region, c.region) AS "regionCode",
       coalesce(b.tasks, 0) AS tasks, coalesce(b.completed, 0) AS completed, coalesce(b.overdue, 0) AS overdue,
       b.median_days AS "medianDays", coalesce(b.submitted, 0) AS submitted, coalesce(b.returned, 0) AS returned,
       coalesce(c.checked, 0) AS checked, coalesce(c.passed, 0) AS passed
  FROM by_region b
  FULL JOIN checks c ON c.region = b.region
 ORDER BY 1;
