-- comparison-rules.md §3 facts, §4 flags, §5 category and missing schemes, in one pass over the
-- persons in scope. Scheme masks: 110=1 120=2 170=4 310=8 390=16 210=32 410=64 510=128;
-- pension = 7 (110|120|170), medical = 24 (310|390).
CREATE UNLOGGED TABLE cmp_out AS
WITH facts AS (
  SELECT c.k, c.id, c.non_local, c.name,
         c.hukou, c.residence, c.pop_status, c.gender, c.birth_date,
         c.ethnicity, c.hukou_address, c.residence_address, c.phone,
         -- §3 age: whole years completed on the as-of date; the birthday itself counts, and a
         -- 29 February birthday is reached on 1 March in other years (MMDD '0301' > '0229').
         (substr(prm.as_of_ymd, 1, 4)::int - substr(c.id, 7, 4)::int
           - CASE WHEN substr(prm.as_of_ymd, 5, 4) < substr(c.id, 11, 4) THEN 1 ELSE 0 END) AS age,
         coalesce(c.active_mask, 0) AS active,
         -- §3 suspended: not active and at least one status-2 record
         coalesce(c.status2_mask, 0) & ~coalesce(c.active_mask, 0) AS suspended,
         coalesce(c.local_active_mask, 0) AS local_active,
         coalesce(c.else_active_mask, 0) AS else_active,
         coalesce(c.else_in_province, false) AS else_in_province,
         coalesce(c.else_out_province, false) AS else_out_province,
         coalesce(d.student, false) AS student,
         coalesce(d.deceased, false) AS dept_deceased,
         coalesce(d.prisoner, false) AS prisoner,
         coalesce(d.military, false) AS military,
         coalesce(d.emigrated, false) AS emigrated,
         -- §3 the employee set applies: 110 or 310 active locally with an employer on that record,
         -- and no pension benefit received
         coalesce(c.employer_active, false) AND NOT coalesce(c.receives_benefit, false) AS employee,
         c.name_mismatch,
         em.k IS NOT NULL AS else_multi,
         -- §3 survey region: the hukou code, or with the residence basis the residence code (the
         -- hukou code only when the residence code is empty, §7). Non-local persons have none (§5).
         CASE WHEN c.non_local THEN NULL
              WHEN prm.basis = 'residence' THEN coalesce(c.residence, c.hukou)
              ELSE c.hukou END AS survey_code
    FROM cmp_person c
    CROSS JOIN cmp_param prm
    LEFT JOIN cmp_dept d ON d.k = c.k
    LEFT JOIN cmp_else_multi em ON em.k = c.k
),
flagged AS (
  SELECT f.*,
         kc.code IS NOT NULL AS known_community,
         -- §4 flags, one boolean each
         (coalesce(f.pop_status = 'deceased', false) OR f.dept_deceased) AS f_deceased,
         coalesce(f.pop_status = 'moved_out', false) AS f_moved_out,
         -- population gender given and disagreeing with the ID's 17th digit (odd = male = '1')
         (f.gender IS NOT NULL AND f.gender <> CASE WHEN substr(f.id, 17, 1)::int % 2 = 1 THEN '1' ELSE '2' END) AS f_gender_mismatch,
         (f.birth_date IS NOT NULL AND to_char(f.birth_date, 'YYYYMMDD') <> substr(f.id, 7, 8)) AS f_birth_mismatch,
         (NOT f.non_local AND kc.code IS NULL) AS f_no_region,
         -- two or more of 110, 120, 170 active
         (f.active & 7) NOT IN (0, 1, 2, 4) AS f_dup_pension,
         (f.active & 24) = 24 AS f_dup_medical,
         ((f.local_active & f.else_active) <> 0 OR f.else_multi) AS f_dup_place,
         -- pension applies when age ≥ 16 and not a student; medical applies to everyone
         (f.age >= 16 AND NOT f.student AND (f.active & 7) = 0) AS f_no_pension,
         (f.active & 24) = 0 AS f_no_medical,
         -- the employee set: 110 (or 120), 310, 210, 410, 510
         (f.employee AND ((f.active & 3) = 0 OR (f.active & 8) = 0 OR (f.active & 32) = 0
                          OR (f.active & 64) = 0 OR (f.active & 128) = 0)) AS f_missing_employee,
         ((f.active & 7) = 0 AND (f.suspended & 7) <> 0) OR ((f.active & 24) = 0 AND (f.suspended & 24) <> 0) AS f_interrupted
    FROM facts f
    LEFT JOIN cmp_community kc ON kc.code = f.survey_code
),
categorised AS (
  SELECT g.*,
         -- §5 the first category that matches, in this order
         CASE
           WHEN g.f_deceased OR g.prisoner OR g.military OR g.emigrated OR g.f_moved_out THEN 'EXCLUDED'
           WHEN g.name_mismatch OR g.f_gender_mismatch OR g.f_birth_mismatch OR g.f_no_region THEN 'INFO_ERROR'
           WHEN g.f_dup_pension OR g.f_dup_medical OR g.f_dup_place THEN 'DUPLICATE'
           WHEN g.active = 0 AND g.suspended = 0 THEN 'NOT_INSURED'
           WHEN g.f_interrupted THEN 'INTERRUPTED'
           WHEN g.f_no_pension OR g.f_no_medical OR g.f_missing_employee THEN 'PARTIAL'
           ELSE 'CONFIRMED'
         END AS category,
         -- §5 missing schemes: no_pension → 110 with the employee set, else 170; no_medical → 310
         -- with the employee set, else 390; missing_employee_schemes → each of 110 (an active 120
         -- counts for it), 310, 210, 410, 510 not active
         (CASE WHEN g.f_no_pension THEN CASE WHEN g.employee THEN 1 ELSE 4 END ELSE 0 END
          | CASE WHEN g.f_no_medical THEN CASE WHEN g.employee THEN 8 ELSE 16 END ELSE 0 END
          | CASE WHEN g.f_missing_employee
                 THEN CASE WHEN (g.active & 3) = 0 THEN 1 ELSE 0 END | (~g.active & (8 | 32 | 64 | 128))
                 ELSE 0 END) AS missing_if_not_excluded
    FROM flagged g
)
SELECT x.k, x.id, x.name, x.category,
       -- flags as a bit mask, bits in the export order (cmp_flag_codes in 01-functions.sql):
       -- the text lists are built once per distinct mask below, not once per person
       (CASE WHEN x.f_birth_mismatch THEN 1 ELSE 0 END
        | CASE WHEN x.f_deceased THEN 2 ELSE 0 END
        | CASE WHEN x.f_dup_medical THEN 4 ELSE 0 END
        | CASE WHEN x.f_dup_pension THEN 8 ELSE 0 END
        | CASE WHEN x.f_dup_place THEN 16 ELSE 0 END
        | CASE WHEN x.else_in_province THEN 32 ELSE 0 END
        | CASE WHEN x.else_out_province THEN 64 ELSE 0 END
        | CASE WHEN x.emigrated THEN 128 ELSE 0 END
        | CASE WHEN x.f_gender_mismatch THEN 256 ELSE 0 END
        | CASE WHEN x.f_interrupted THEN 512 ELSE 0 END
        | CASE WHEN x.military THEN 1024 ELSE 0 END
        | CASE WHEN x.f_missing_employee THEN 2048 ELSE 0 END
        | CASE WHEN x.f_moved_out THEN 4096 ELSE 0 END
        | CASE WHEN x.name_mismatch THEN 8192 ELSE 0 END
        | CASE WHEN x.f_no_medical THEN 16384 ELSE 0 END
        | CASE WHEN x.f_no_pension THEN 32768 ELSE 0 END
        | CASE WHEN x.f_no_region THEN 65536 ELSE 0 END
        | CASE WHEN x.non_local THEN 131072 ELSE 0 END
        | CASE WHEN x.prisoner THEN 262144 ELSE 0 END) AS flag_mask,
       -- §5 missing_schemes is empty for EXCLUDED
       CASE WHEN x.category = 'EXCLUDED' THEN 0 ELSE x.missing_if_not_excluded END AS missing_mask,
       x.active AS active_mask,
       -- §5 region_code: the survey region for persons who need a survey and have a known community
       CASE WHEN x.category NOT IN ('EXCLUDED', 'CONFIRMED') AND x.known_community THEN x.survey_code END AS region_code,
       -- where the person is counted on the dashboards: their known community, else the city only
       CASE WHEN x.known_community THEN x.survey_code END AS count_region,
       x.survey_code, x.hukou, x.non_local, x.age,
       -- §3 pension applies / the employee set applies, kept for the statistics (statistics.md §2)
       (x.age >= 16 AND NOT x.student) AS pension_applies, x.employee AS employee_applies,
       -- the population record's basic data, for the registry (08-registry.sql)
       x.gender, x.birth_date, x.ethnicity, x.hukou_address, x.residence, x.residence_address, x.phone
  FROM categorised x;
ANALYZE cmp_out;

-- The flag and scheme lists as text arrays, one row per mask: the flag masks that occur (a few
-- hundred) and every scheme mask (256). The writers in 07 and 08 join these by the integer.
CREATE UNLOGGED TABLE cmp_flag_list AS
SELECT mask, pg_temp.cmp_flag_codes(mask) AS flags FROM (SELECT DISTINCT flag_mask AS mask FROM cmp_out) m;
CREATE UNLOGGED TABLE cmp_scheme_list AS
SELECT mask, pg_temp.cmp_scheme_codes(mask) AS codes FROM generate_series(0, 255) AS mask;
ANALYZE cmp_flag_list;
ANALYZE cmp_scheme_list;
