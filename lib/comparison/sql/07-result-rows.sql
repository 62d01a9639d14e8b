-- comparison-rules.md §6 "One result row per person in scope (category, flags, missing schemes, survey
-- region)": the rows of comparison_result in its column order, for COPY. run.ts streams them out of the
-- run's transaction and writes them into comparison_result on a second connection while the run goes
-- on with the counts, the diff, the survey tasks and the registry (the two writes then use both cores);
-- that transaction commits just before the run's own.
-- Columns: run_id, id_number, name, category, flags, missing_schemes, active_schemes, region_code,
-- survey_region_code, hukou_region_code, count_region_code, non_local, age, pension_applies, employee_applies.
SELECT (SELECT run_id FROM cmp_param), o.id, coalesce(o.name, ''), o.category, f.flags, m.codes, a.codes,
       o.region_code, o.survey_code, o.hukou, o.count_region, o.non_local, o.age, o.pension_applies, o.employee_applies
  FROM cmp_out o
  JOIN cmp_flag_list f ON f.mask = o.flag_mask
  JOIN cmp_scheme_list m ON m.mask = o.missing_mask
  JOIN cmp_scheme_list a ON a.mask = o.active_mask
 ORDER BY o.k -- in key order (= ID order): the primary key index grows at its right edge instead of at random
