-- One row per employer (continues employers-base.sql).
, by_employer AS (
  SELECT employer, count(*)::int AS persons,
         count(*) FILTER (WHERE '110' = ANY (missing_schemes))::int AS missing_110,
         count(*) FILTER (WHERE '310' = ANY (missing_schemes))::int AS missing_310,
         count(*) FILTER (WHERE '210' = ANY (missing_schemes))::int AS missing_210,
         count(*) FILTER (WHERE '410' = ANY (missing_schemes))::int AS missing_410,
         count(*) FILTER (WHERE '510' = ANY (missing_schemes))::int AS missing_510
    FROM named
   GROUP BY employer
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
