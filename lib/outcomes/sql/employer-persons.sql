-- The persons behind the employers (continues employers-base.sql): one row per employer and person,
-- from the comparison (named) or from an approved survey naming the unit (as employers.sql counts
-- them). $3: one employer (exact text) or NULL for all; $4/$5: LIMIT/OFFSET (NULL limit: all).
-- total is the number of rows before paging.
, person_rows AS (
  SELECT employer, id_number, 'comparison' AS source FROM named
  UNION ALL
  SELECT employer, id_number, 'survey' AS source
    FROM surveyed
   WHERE reasons ? 'EMPLOYER_DID_NOT_ENROL' AND coalesce(employer, '') <> ''
)
SELECT pr.employer, pr.id_number, c.name, c.count_region_code AS region_code, c.missing_schemes, pr.source,
       count(*) OVER ()::int AS total
  FROM person_rows pr
  JOIN comparison_result c ON c.run_id = $1 AND c.id_number = pr.id_number
 WHERE ($3::text IS NULL OR pr.employer = $3::text)
 ORDER BY pr.employer COLLATE "C", pr.source, pr.id_number COLLATE "C"
 LIMIT $4 OFFSET $5;
