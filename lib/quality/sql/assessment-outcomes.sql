-- 考核 outcome indicators (issue 14) per region for comparison run $1, in the region prefix $2,
-- grouped by the first $3 characters of the community code (6: districts, 9: streets). Read from the
-- statistics aggregates of the runs (stats_measure, lib/stats/measures.ts) and the outreach ledger;
-- nothing here restates a measure's rule.
--
--   toRegister / registered   run $1's `to_register` and `registered` as they stand now: `registered`
--                moves with every district approval (lib/stats/registered.ts keeps the latest run's
--                figure current; an older run's figure stopped moving when the next run came)
--   confirmedAtRun  run $1's `category:CONFIRMED` — what `registered` equalled right after the run
--                (statistics.md §2), so 登记率 since the run = (registered − confirmedAtRun) / toRegister
--   pensionApplies / pensionActive  run $1's 养老参保率 figures (they belong to the run)
--   prevPensionApplies / prevPensionActive  the same of the previous run with statistics (the
--                largest run id below $1 in stats_measure); NULL when there is none
--   entries / enrolled  the outreach ledger's entries of the region put in by run $1 or an earlier run,
--                and of them those enrolled (status ENROLLED, found insured by a later run)
-- Persons counted at city level only (region '-', entries without a community) belong to no region.
WITH prev AS (
  SELECT max(run_id) AS id FROM stats_measure WHERE run_id < $1
), m AS (
  SELECT left(s.region_code, $3) AS region,
         sum(s.value) FILTER (WHERE s.run_id = $1 AND s.measure = 'to_register')::int AS to_register,
         sum(s.value) FILTER (WHERE s.run_id = $1 AND s.measure = 'registered')::int AS registered,
         sum(s.value) FILTER (WHERE s.run_id = $1 AND s.measure = 'category:CONFIRMED')::int AS confirmed,
         sum(s.value) FILTER (WHERE s.run_id = $1 AND s.measure = 'pension_applies')::int AS pension_applies,
         sum(s.value) FILTER (WHERE s.run_id = $1 AND s.measure = 'pension_active')::int AS pension_active,
         sum(s.value) FILTER (WHERE s.run_id <> $1 AND s.measure = 'pension_applies')::int AS prev_applies,
         sum(s.value) FILTER (WHERE s.run_id <> $1 AND s.measure = 'pension_active')::int AS prev_active
    FROM stats_measure s
   WHERE (s.run_id = $1 OR s.run_id = (SELECT id FROM prev))
     AND s.region_code <> '-' AND starts_with(s.region_code, $2::text)
     AND s.measure IN ('to_register', 'registered', 'category:CONFIRMED', 'pension_applies', 'pension_active')
   GROUP BY 1
), o AS (
  SELECT left(e.region_code, $3) AS region, count(*)::int AS entries,
         count(*) FILTER (WHERE e.status = 'ENROLLED')::int AS enrolled
    FROM outreach_entry e
   WHERE e.run_id <= $1 AND e.region_code IS NOT NULL AND starts_with(e.region_code, $2::text)
   GROUP BY 1
)
SELECT coalesce(m.region, o.region) AS "regionCode",
       coalesce(m.to_register, 0) AS "toRegister", coalesce(m.registered, 0) AS registered,
       coalesce(m.confirmed, 0) AS "confirmedAtRun",
       coalesce(m.pension_applies, 0) AS "pensionApplies", coalesce(m.pension_active, 0) AS "pensionActive",
       CASE WHEN (SELECT id FROM prev) IS NOT NULL THEN coalesce(m.prev_applies, 0) END AS "prevPensionApplies",
       CASE WHEN (SELECT id FROM prev) IS NOT NULL THEN coalesce(m.prev_active, 0) END AS "prevPensionActive",
       coalesce(o.entries, 0) AS entries, coalesce(o.enrolled, 0) AS enrolled
  FROM m
  FULL JOIN o ON o.region = m.region
 ORDER BY 1;
