-- comparison-rules.md §6 "What a run produces": the counts for the dashboards and the diff against
-- the previous run. (The invalid rows were written in 02-inputs and 03-population; the result rows
-- are 07-result-rows.sql, written beside this step on a second connection, see run.ts.)

-- §6 "Counts per category × region (city, district, street, community) × scheme". Each person is
-- counted in their known survey community and its street, district and the city; a person without
-- one (non-local, no_region) in the city only. Scheme '' is the category total: persons, insured =
-- with any active scheme, missing = with any missing scheme; for a scheme code, insured / missing
-- count the category's persons with that scheme active / missing.
-- The persons are counted once per category, community and scheme masks (far fewer groups than
-- persons); the per-scheme figures and the streets, districts and the city add those counts up.
INSERT INTO comparison_count (run_id, level, region_code, category, scheme, persons, insured, missing)
SELECT (SELECT run_id FROM cmp_param), g.level::"RegionLevel", g.code, g.category, s.scheme, g.persons,
       CASE s.bit WHEN 0 THEN g.insured_any ELSE g.insured[s.pos] END,
       CASE s.bit WHEN 0 THEN g.missing_any ELSE g.missing[s.pos] END
  FROM (
    SELECT category,
           CASE WHEN GROUPING(d) = 1 THEN 'CITY' WHEN GROUPING(s) = 1 THEN 'DISTRICT'
                WHEN GROUPING(c) = 1 THEN 'STREET' ELSE 'COMMUNITY' END AS level,
           CASE WHEN GROUPING(d) = 1 THEN (SELECT city FROM cmp_param) WHEN GROUPING(s) = 1 THEN d
                WHEN GROUPING(c) = 1 THEN s ELSE c END AS code,
           sum(n)::int AS persons,
           sum(CASE WHEN active_mask <> 0 THEN n ELSE 0 END)::int AS insured_any,
           sum(CASE WHEN missing_mask <> 0 THEN n ELSE 0 END)::int AS missing_any,
           ARRAY[sum(CASE WHEN active_mask & 1 <> 0 THEN n ELSE 0 END), sum(CASE WHEN active_mask & 2 <> 0 THEN n ELSE 0 END),
                 sum(CASE WHEN active_mask & 4 <> 0 THEN n ELSE 0 END), sum(CASE WHEN active_mask & 32 <> 0 THEN n ELSE 0 END),
                 sum(CASE WHEN active_mask & 8 <> 0 THEN n ELSE 0 END), sum(CASE WHEN active_mask & 16 <> 0 THEN n ELSE 0 END),
                 sum(CASE WHEN active_mask & 64 <> 0 THEN n ELSE 0 END), sum(CASE WHEN active_mask & 128 <> 0 THEN n ELSE 0 END)]::int[] AS insured,
           ARRAY[sum(CASE WHEN missing_mask & 1 <> 0 THEN n ELSE 0 END), sum(CASE WHEN missing_mask & 2 <> 0 THEN n ELSE 0 END),
                 sum(CASE WHEN missing_mask & 4 <> 0 THEN n ELSE 0 END), sum(CASE WHEN missing_mask & 32 <> 0 THEN n ELSE 0 END),
                 sum(CASE WHEN missing_mask & 8 <> 0 THEN n ELSE 0 END), sum(CASE WHEN missing_mask & 16 <> 0 THEN n ELSE 0 END),
                 sum(CASE WHEN missing_mask & 64 <> 0 THEN n ELSE 0 END), sum(CASE WHEN missing_mask & 128 <> 0 THEN n ELSE 0 END)]::int[] AS missing
      FROM (SELECT category, left(count_region, 6) AS d, left(count_region, 9) AS s, count_region AS c,
                   active_mask, missing_mask, count(*) AS n
              FROM cmp_out
             GROUP BY category, count_region, active_mask, missing_mask) o
     GROUP BY GROUPING SETS ((category), (category, d), (category, d, s), (category, d, s, c))
  ) g
  CROSS JOIN (VALUES ('', 0, 0), ('110', 1, 1), ('120', 2, 2), ('170', 4, 3), ('210', 32, 4),
                     ('310', 8, 5), ('390', 16, 6), ('410', 64, 7), ('510', 128, 8)) AS s(scheme, bit, pos)
 WHERE g.code IS NOT NULL;

-- §6 "A diff against the previous run: persons whose category changed, persons new to or gone from
-- scope". The previous run is the last finished one; the first run has no diff.
INSERT INTO comparison_diff (run_id, id_number, change, old_category, new_category, region_code)
SELECT (SELECT run_id FROM cmp_param), coalesce(n.id, o.id_number),
       (CASE WHEN o.id_number IS NULL THEN 'NEW' WHEN n.id IS NULL THEN 'GONE' ELSE 'CHANGED' END)::"DiffChange",
       o.category, n.category, coalesce(n.count_region, o.count_region_code)
  FROM (SELECT id, category, count_region FROM cmp_out WHERE (SELECT prev_run_id FROM cmp_param) IS NOT NULL) n
  FULL JOIN (SELECT id_number, category, count_region_code FROM comparison_result
              WHERE run_id = (SELECT prev_run_id FROM cmp_param)) o ON o.id_number = n.id
 WHERE o.id_number IS NULL OR n.id IS NULL OR o.category <> n.category;
