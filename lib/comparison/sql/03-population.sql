-- comparison-rules.md §0 "Within the population batches, an ID that occurs more than once keeps its
-- first row (in import order) and the others become invalid rows with reason duplicate_id".
-- Only valid rows take part (§1: invalid rows "take no further part"), and the ID compared is the
-- normalised one, so a 15-digit ID and its 18-digit form are the same person.
CREATE UNLOGGED TABLE cmp_pop_first AS
SELECT DISTINCT ON (k) k, id, batch_id, line_no
  FROM cmp_pop_all
 WHERE reason IS NULL
 ORDER BY k, batch_id, line_no;
ANALYZE cmp_pop_first;

INSERT INTO comparison_invalid_row (run_id, batch_id, line_no, kind, id_raw, reason)
SELECT (SELECT run_id FROM cmp_param), a.batch_id, a.line_no, 'population'::"ImportKind", a.id_raw, 'duplicate_id'
  FROM cmp_pop_all a
 WHERE a.reason IS NULL
   AND NOT EXISTS (SELECT 1 FROM cmp_pop_first f WHERE f.batch_id = a.batch_id AND f.line_no = a.line_no);

-- The kept population row of every person: basic data for the registry, and what §3–§4 read.
-- §1 "Name" normalised; empty region codes are "missing" (NULL).
CREATE UNLOGGED TABLE cmp_pop AS
SELECT f.k, f.id, pg_temp.cmp_name(r.name) AS name, r.gender, r.birth_date, r.ethnicity,
       nullif(r.hukou_region_code, '') AS hukou, r.hukou_address,
       nullif(r.residence_region_code, '') AS residence, r.residence_address, r.phone, r.status
  FROM cmp_pop_first f
  JOIN population_record r ON r.batch_id = f.batch_id AND r.line_no = f.line_no;
ANALYZE cmp_pop;
