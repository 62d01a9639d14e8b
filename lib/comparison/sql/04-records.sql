-- comparison-rules.md §1 and §3: every valid enrolment and elsewhere record as one list, and what
-- each person's records say.

-- §1 "Same record twice: enrolment rows equal in (ID, scheme, region_code, status) are one record".
-- Choice: the one record is the first row in import order (as for population duplicates, §0); its
-- name, employer and benefit are the record's.
-- §3 "An enrolment record whose region code is outside the city is treated as an elsewhere record";
-- an empty region code is the importing city (import-formats.md). `is_local` marks the city's own.
-- §3 a record is active when its status is 1, or for a pension scheme when benefit = yes whatever
-- the status. Elsewhere records carry no benefit.
-- §4 dup_place: "every local record counts as one place (the city) and an elsewhere record's place is
-- its region code".
--
-- Per person, in one pass over the records as they come out of the de-duplicating sort (ordered by
-- person first, so the per-person totals stream; no list of records is ever stored). Elsewhere
-- records take part in the same sort under keys of their own (src = 1 and their own line), so that
-- none of them is merged with another. Schemes are bit masks (see 01-functions.sql):
--   has_local          §2 an enrolment record in the city (any status) brings a person into scope
--   active_mask        §3 active schemes, locally or elsewhere
--   status2_mask       §3 schemes with a status-2 record (suspended = these minus the active ones)
--   local_active_mask / else_active_mask   §4 dup_place: active in the city and elsewhere
--   employer_active    §3 110 or 310 active locally with an employer recorded on that record
--   receives_benefit   §3 "any local enrolment record with benefit = yes"
--   else_in_province / else_out_province   §4 an active elsewhere record in / outside the city's province
--   else_places        §4 dup_place, second half: "bit:place" of every active elsewhere record
--   first_local_key    §7 the first local enrolment record in import order (the name of a person
--                      not in the population batches)
--   min_name/max_name  §4 name_mismatch: "a local enrolment or elsewhere record (any status) has the
--                      same ID but a different normalised name from the population record" (an
--                      out-of-city enrolment record is an elsewhere record, §3; department records
--                      never raise it). Every record's name equals the population name exactly when
--                      the smallest and the largest of them do (compared in 05-scope.sql).
CREATE UNLOGGED TABLE cmp_rec_agg AS
WITH rec AS (
  SELECT k, id, batch_id, line_no, name, bit, status, is_local, place, has_employer, benefit,
         status = 1 OR (benefit AND bit & 7 <> 0) AS active
    FROM (
      SELECT DISTINCT ON (u.k, u.src, u.scheme COLLATE "C", u.region COLLATE "C", u.status, u.own)
             u.k, u.id, u.batch_id, u.line_no, pg_temp.cmp_name(u.name) AS name, pg_temp.cmp_scheme_bit(u.scheme) AS bit, u.status,
             u.src = 0 AND (u.region IS NULL OR starts_with(u.region, u.city)) AS is_local,
             CASE WHEN u.src = 0 AND (u.region IS NULL OR starts_with(u.region, u.city)) THEN NULL ELSE u.region END AS place,
             u.has_employer, u.benefit
        FROM (SELECT pg_temp.cmp_key(r.id_number) AS k, 0 AS src, 0::bigint AS own, r.id_number AS id, r.batch_id, r.line_no,
                     r.name, r.scheme, r.status, nullif(r.region_code, '') AS region,
                     coalesce(btrim(r.employer), '') <> '' AS has_employer, r.benefit, p.city
                FROM enrolment_record r CROSS JOIN cmp_param p
               WHERE r.batch_id IN (SELECT id FROM cmp_batch WHERE kind = 'enrolment')
                 AND pg_temp.cmp_id_reason_on(r.id_invalid, r.id_number, p.as_of_ymd) IS NULL
              UNION ALL
              -- elsewhere records: every one its own (src = 1, own = its batch and line); no benefit
              SELECT s.k, 1, s.batch_id::bigint * 4294967296 + s.line_no, s.id, s.batch_id, s.line_no,
                     s.name, s.scheme, s.status, s.region, false, false, NULL
                FROM cmp_else_all s
               WHERE s.reason IS NULL) u
       ORDER BY u.k, u.src, u.scheme COLLATE "C", u.region COLLATE "C", u.status, u.own, u.batch_id, u.line_no
    ) d
)
SELECT r.k, min(r.id) AS id,  -- every id of a key is the same (its 17 digits fix the check character)
       bool_or(r.is_local) AS has_local,
       bit_or(CASE WHEN r.active THEN r.bit ELSE 0 END) AS active_mask,
       bit_or(CASE WHEN r.status = 2 THEN r.bit ELSE 0 END) AS status2_mask,
       bit_or(CASE WHEN r.active AND r.is_local THEN r.bit ELSE 0 END) AS local_active_mask,
       bit_or(CASE WHEN r.active AND NOT r.is_local THEN r.bit ELSE 0 END) AS else_active_mask,
       bool_or(r.active AND r.is_local AND r.has_employer AND r.bit IN (1, 8)) AS employer_active,
       bool_or(r.is_local AND r.benefit) AS receives_benefit,
       bool_or(r.active AND NOT r.is_local AND left(r.place, 2) = (SELECT province FROM cmp_param)) AS else_in_province,
       bool_or(r.active AND NOT r.is_local AND left(r.place, 2) <> (SELECT province FROM cmp_param)) AS else_out_province,
       array_agg(r.bit || ':' || r.place) FILTER (WHERE r.active AND NOT r.is_local AND r.bit <> 0) AS else_places,
       min(CASE WHEN r.is_local THEN r.batch_id::bigint * 4294967296 + r.line_no END) AS first_local_key,
       min(r.name COLLATE "C") AS min_name, max(r.name COLLATE "C") AS max_name
  FROM rec r
 GROUP BY r.k;
ANALYZE cmp_rec_agg;

-- §4 dup_place, second half: the same scheme active in two or more elsewhere places.
CREATE UNLOGGED TABLE cmp_else_multi AS
SELECT DISTINCT k
  FROM (SELECT a.k, split_part(e, ':', 1) AS bit, split_part(e, ':', 2) AS place
          FROM cmp_rec_agg a, unnest(a.else_places) AS e
         WHERE cardinality(a.else_places) >= 2) t
 GROUP BY k, bit
HAVING count(DISTINCT place) >= 2;
ANALYZE cmp_else_multi;

-- §3 student, §4 deceased / prisoner / military / emigrated: a department record of that kind.
CREATE UNLOGGED TABLE cmp_dept AS
SELECT k, bool_or(kind = 'deceased') AS deceased, bool_or(kind = 'prisoner') AS prisoner,
       bool_or(kind = 'military') AS military, bool_or(kind = 'emigrated') AS emigrated,
       bool_or(kind = 'student') AS student
  FROM cmp_dept_all
 WHERE reason IS NULL
 GROUP BY k;
ANALYZE cmp_dept;
