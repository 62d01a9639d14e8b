-- comparison-rules.md §2 "Who is in scope". A person is identified by the normalised ID number.
--  * every person of the population batches whose hukou code starts with the city's code or is
--    empty (local_pop), and
--  * every other person with an enrolment record in the city — not in the population batches, or
--    there with a hukou outside the city: non-local insured (flag non_local).
-- Choice: an enrolment record of any status brings a person into scope (§2 says "an enrolment
-- record"; §3's "terminated records count for nothing" is about the facts of persons in scope).
-- §7 "Persons only in department or elsewhere records are out of scope"; scope is decided by the
-- hukou code whatever the survey basis.
CREATE UNLOGGED TABLE cmp_person AS
SELECT coalesce(p.k, a.k) AS k, coalesce(p.id, a.id) AS id,
       p.id IS NOT NULL AS in_population,
       NOT (p.id IS NOT NULL AND (p.hukou IS NULL OR starts_with(p.hukou, prm.city))) AS non_local,
       -- §7 "The name exported is the normalised population name; for a person not in the population
       -- batches, the normalised name of their first local enrolment record in import order" (read
       -- by primary key: a few thousand persons, one index lookup each)
       CASE WHEN p.id IS NOT NULL THEN p.name
            ELSE (SELECT pg_temp.cmp_name(e.name) FROM enrolment_record e
                   WHERE e.batch_id = (a.first_local_key >> 32)::int AND e.line_no = (a.first_local_key & 4294967295)::int)
       END AS name,
       -- what the classification and the registry read, carried along so that they need no second join
       p.name AS pop_name, p.hukou, p.residence, p.status AS pop_status, p.gender, p.birth_date,
       p.ethnicity, p.hukou_address, p.residence_address, p.phone,
       a.active_mask, a.status2_mask, a.local_active_mask, a.else_active_mask, a.employer_active,
       a.receives_benefit, a.else_in_province, a.else_out_province,
       (p.id IS NOT NULL AND a.id IS NOT NULL AND (a.min_name <> p.name OR a.max_name <> p.name)) AS name_mismatch
  FROM cmp_pop p
  FULL JOIN cmp_rec_agg a ON a.k = p.k
  CROSS JOIN cmp_param prm
 WHERE (p.id IS NOT NULL AND (p.hukou IS NULL OR starts_with(p.hukou, prm.city)))
    OR coalesce(a.has_local, false);
ANALYZE cmp_person;

-- The city's known communities (§4 no_region: "not a known community"; §7 a residence code outside
-- the city is not a known community either).
CREATE UNLOGGED TABLE cmp_community AS
SELECT code FROM region WHERE level = 'COMMUNITY' AND starts_with(code, (SELECT city FROM cmp_param));
ANALYZE cmp_community;
