-- comparison-rules.md §6 "For every person who needs a survey, a survey task in the chosen region,
-- unless an open task for that person already exists": the new tasks, as rows of survey_task in the
-- column order of run.ts TASK_COLUMNS, for COPY. run.ts writes them out of the run's transaction and
-- into survey_task on the second connection, after the result rows, while this connection writes the
-- registry. Open = PENDING, ASSIGNED, DRAFT, SUBMITTED, STREET_APPROVED, RETURNED (08-tasks.sql).
-- Choice: a person without a known community (no_region, non-local: §5 "no survey region") gets no
-- task; the city sees them in the run's person list.
SELECT n.id, n.region_code, 'PENDING', n.category, n.category, n.flags, n.missing,
       (SELECT run_id FROM cmp_param), (SELECT run_id FROM cmp_param)
  FROM cmp_needs n
 WHERE n.region_code IS NOT NULL
   AND NOT EXISTS (SELECT 1 FROM survey_task t WHERE t.id_number = n.id
                     AND t.state IN ('PENDING', 'ASSIGNED', 'DRAFT', 'SUBMITTED', 'STREET_APPROVED', 'RETURNED'))
 ORDER BY n.k
