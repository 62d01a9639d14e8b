-- Settles the outreach ledger (工作台账, statistics.md §5) with comparison run $1, set-based (one pass
-- over the run's result partition; indexed joins on the ledger), inside the caller's transaction.
--
-- Who is in the ledger after run $1: the run's persons whose category is NOT_INSURED, PARTIAL or
-- INTERRUPTED, and the run's other persons (not EXCLUDED, not CONFIRMED) with missing schemes whose
-- latest approved survey (district 审定) answers pension or medical "NONE" (still not insured).
--
-- An OPEN entry (put in by an earlier run A, missing schemes S = entry_missing) is settled:
--   ENROLLED (促进参保) when run $1 finds the person CONFIRMED, or none of S missing any more
--            (and the person is not EXCLUDED);
--   CLOSED   when the person is no longer in the run's scope or is EXCLUDED (deceased, moved out…):
--            they left the ledger, but not by enrolling;
--   else it stays OPEN, with the run's community, category and missing/interrupted schemes.
-- Then every ledger person of run $1 without an OPEN entry gets a new entry keyed by (person, $1).
-- Interrupted schemes: the schemes of the person's local enrolment records of the run's input
-- batches with status 2 (suspended) that are not active (comparison-rules.md §3, 06-classify.sql).

CREATE TEMP TABLE outreach_in ON COMMIT DROP AS
WITH run AS (
  SELECT id, input_batch_ids FROM comparison_run WHERE id = $1
), surveyed AS (
  -- pension / medical: a list of answers (one string in forms kept before); jsonb @> finds "NONE" in either
  SELECT DISTINCT ON (t.id_number) t.id_number, (f.data -> 'pension') @> '"NONE"'::jsonb AS pension_none,
         (f.data -> 'medical') @> '"NONE"'::jsonb AS medical_none
    FROM survey_task t
    JOIN survey_form f ON f.task_id = t.id
   WHERE t.state = 'DISTRICT_APPROVED'
   ORDER BY t.id_number, t.updated_at DESC, t.id DESC
)
SELECT r.id_number, r.count_region_code AS region_code, r.category, r.missing_schemes, r.active_schemes, r.flags,
       CASE WHEN r.category IN ('NOT_INSURED', 'PARTIAL', 'INTERRUPTED') THEN 'COMPARISON' ELSE 'SURVEY' END AS source
  FROM comparison_result r
  LEFT JOIN surveyed s ON s.id_number = r.id_number
 WHERE r.run_id = $1
   AND (r.category IN ('NOT_INSURED', 'PARTIAL', 'INTERRUPTED')
        OR (r.category NOT IN ('EXCLUDED', 'CONFIRMED') AND cardinality(r.missing_schemes) > 0
            AND (s.pension_none OR s.medical_none)));
CREATE UNIQUE INDEX ON outreach_in (id_number);
ANALYZE outreach_in;

CREATE TEMP TABLE outreach_interrupted ON COMMIT DROP AS
SELECT e.id_number, array_agg(DISTINCT e.scheme ORDER BY e.scheme) AS schemes
  FROM enrolment_record e
  JOIN outreach_in i ON i.id_number = e.id_number AND 'interrupted' = ANY (i.flags)
 WHERE e.batch_id = ANY ((SELECT input_batch_ids FROM comparison_run WHERE id = $1)::int[])
   AND e.status = 2
   AND NOT (e.scheme = ANY (i.active_schemes))
 GROUP BY e.id_number;

-- Settle the open entries against the run.
WITH verdict AS (
  SELECT o.id,
         CASE
           WHEN r.id_number IS NULL OR r.category = 'EXCLUDED' THEN 'CLOSED'
           WHEN r.category = 'CONFIRMED' OR NOT (r.missing_schemes && o.entry_missing) THEN 'ENROLLED'
           ELSE 'OPEN'
         END AS status
    FROM outreach_entry o
    LEFT JOIN comparison_result r ON r.run_id = $1 AND r.id_number = o.id_number
   WHERE o.status = 'OPEN' AND o.run_id < $1
)
UPDATE outreach_entry o
   SET status = v.status, settled_run_id = $1, settled_at = now()
  FROM verdict v
 WHERE v.id = o.id AND v.status <> 'OPEN';

-- Those still open (and still in the run's ledger) take the run's view of them.
UPDATE outreach_entry o
   SET last_run_id = $1, region_code = i.region_code, category = i.category, missing_schemes = i.missing_schemes,
       interrupted_schemes = coalesce(x.schemes, ARRAY[]::text[])
  FROM outreach_in i
  LEFT JOIN outreach_interrupted x ON x.id_number = i.id_number
 WHERE o.status = 'OPEN' AND o.id_number = i.id_number;

-- Open entries of persons the run still finds missing part of S but who fell out of the ledger's
-- categories (e.g. now INFO_ERROR) keep their entry, with the run's community and schemes.
UPDATE outreach_entry o
   SET last_run_id = $1, region_code = r.count_region_code, category = r.category, missing_schemes = r.missing_schemes
  FROM comparison_result r
 WHERE o.status = 'OPEN' AND o.last_run_id <> $1 AND r.run_id = $1 AND r.id_number = o.id_number;

-- New entries.
INSERT INTO outreach_entry (id_number, run_id, source, entry_missing, last_run_id, region_code, category, missing_schemes, interrupted_schemes)
SELECT i.id_number, $1, i.source, i.missing_schemes, $1, i.region_code, i.category, i.missing_schemes, coalesce(x.schemes, ARRAY[]::text[])
  FROM outreach_in i
  LEFT JOIN outreach_interrupted x ON x.id_number = i.id_number
 WHERE NOT EXISTS (SELECT 1 FROM outreach_entry o WHERE o.id_number = i.id_number AND o.status = 'OPEN')
ON CONFLICT (id_number, run_id) DO NOTHING;

UPDATE outreach_settlement
   SET entered = (SELECT count(*) FROM outreach_entry WHERE run_id = $1),
       enrolled = (SELECT count(*) FROM outreach_entry WHERE settled_run_id = $1 AND status = 'ENROLLED'),
       closed = (SELECT count(*) FROM outreach_entry WHERE settled_run_id = $1 AND status = 'CLOSED')
 WHERE run_id = $1;
