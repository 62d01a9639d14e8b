-- comparison-rules.md §0 "Within the population batches, an ID that occurs more than once keeps its
-- first row (in import order) and the others become invalid rows with reason duplicate_id".
-- Only valid rows take part (§1: invalid rows "take no further part"), and the ID compared is the
-- normalised one, so a 15-digit ID and its 18-digit form are the same person.
-- The kept row of every person is its basic data for the registry, and what §3–§4 read.
CREATE UNLOGGED TABLE cmp_pop AS
SELECT DISTINCT ON (k) k, id, batch_id, line_no, name, gender, birth_date, ethnicity, hukou, hukou_address,
       residence, residence_address, phone, status
  FROM cmp_pop_all
 WHERE reason IS NULL
 ORDER BY k, batch_id, line_no;
ANALYZE cmp_pop;

INSERT INTO comparison_invalid_row (run_id, batch_id, line_no, kind, id_raw, reason)
SELECT (SELECT run_id FROM cmp_param), a.batch_id, a.line_no, 'population'::"ImportKind", a.id_raw, 'duplicate_id'
  FROM cmp_pop_all a
  JOIN (SELECT k, min(batch_id::bigint * 4294967296 + line_no) AS first
          FROM cmp_pop_all WHERE reason IS NULL GROUP BY k HAVING count(*) > 1) d ON d.k = a.k
 WHERE a.reason IS NULL
   AND a.batch_id::bigint * 4294967296 + a.line_no <> d.first;
