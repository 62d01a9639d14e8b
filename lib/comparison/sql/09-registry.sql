-- The registry (domain.md "The registry"): one row per person in scope with basic data from the population record (or the
-- first local enrolment record's name), the latest result and the registration status (01-functions.sql
-- cmp_status). Choice: basic data of a person registered by survey is not overwritten (the approved
-- survey is newer).
-- Codes longer than a region code are not region codes: kept out of the registry's columns.
-- (An UPDATE of the persons already registered, then a plain INSERT of the new ones: cheaper than
-- INSERT … ON CONFLICT, whose speculative insertion costs extra on every one of a million rows.)

-- Bulk path: when the run brings more new persons than the registry holds (a city's first run), the
-- registry's indexes are set aside and built again after the insert: building an index over a million
-- rows costs a third of maintaining it row by row. Their definitions are read from the catalogue, so
-- the migrations stay the one place they are written. Dropping them locks the registry until the run
-- commits, at a time when it holds few rows. (Not when another table's foreign key needs the key.)
CREATE UNLOGGED TABLE cmp_person_index AS
SELECT (SELECT 'public.' || quote_ident(relname) FROM pg_class WHERE oid = i.indexrelid) AS name, pg_get_indexdef(i.indexrelid) AS def, c.conname, pg_get_constraintdef(c.oid) AS condef
  FROM pg_index i
  LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.conrelid = i.indrelid
 WHERE i.indrelid = 'public.person'::regclass
   AND NOT EXISTS (SELECT 1 FROM pg_constraint f WHERE f.confrelid = 'public.person'::regclass)
   AND (SELECT count(*) FROM person) * 2 < (SELECT count(*) FROM cmp_out);

DO $$
DECLARE ix record;
BEGIN
  FOR ix IN SELECT * FROM cmp_person_index LOOP
    IF ix.conname IS NOT NULL THEN
      EXECUTE format('ALTER TABLE public.person DROP CONSTRAINT %I', ix.conname);
    ELSE
      EXECUTE format('DROP INDEX %s', ix.name);
    END IF;
  END LOOP;
END $$;

-- domain.md "Every change keeps a history row (what, old, new, who, when, why)" and "when a later
-- comparison finds a new problem, a new survey task opens and the history shows why": a registry row
-- whose registration status or category the run changes gets a row for each, written by the run's
-- starter with the run as the reason. Choice: a new row (first seen by this run) gets none — its
-- result is the run's, listed in the run's person list — nor do flags, schemes or basic data from
-- the population batches, which the run's result rows and diff keep per run.
INSERT INTO person_history (id_number, field, old_value, new_value, reason, changed_by_id)
SELECT pr.id_number, v.field, v.was, v.now, '数据比对 #' || prm.run_id, prm.started_by
  FROM person pr
  JOIN cmp_out o ON o.id = pr.id_number
  CROSS JOIN cmp_param prm
  CROSS JOIN LATERAL (VALUES ('status', pr.status::text, pg_temp.cmp_status(o.category, pr.status)::text),
                             ('category', pr.category, o.category)) AS v(field, was, now)
 WHERE v.was IS DISTINCT FROM v.now;

UPDATE person pr SET
  name = CASE WHEN pr.status = 'REGISTERED_BY_SURVEY' THEN pr.name ELSE coalesce(o.name, '') END,
  gender = CASE WHEN pr.status = 'REGISTERED_BY_SURVEY' THEN pr.gender ELSE o.gender END,
  birth_date = CASE WHEN pr.status = 'REGISTERED_BY_SURVEY' THEN pr.birth_date ELSE o.birth_date END,
  ethnicity = CASE WHEN pr.status = 'REGISTERED_BY_SURVEY' THEN pr.ethnicity ELSE o.ethnicity END,
  hukou_region_code = CASE WHEN pr.status = 'REGISTERED_BY_SURVEY' THEN pr.hukou_region_code
                           WHEN length(o.hukou) <= 12 THEN o.hukou END,
  hukou_address = CASE WHEN pr.status = 'REGISTERED_BY_SURVEY' THEN pr.hukou_address ELSE o.hukou_address END,
  residence_region_code = CASE WHEN pr.status = 'REGISTERED_BY_SURVEY' THEN pr.residence_region_code
                               WHEN length(o.residence) <= 12 THEN o.residence END,
  residence_address = CASE WHEN pr.status = 'REGISTERED_BY_SURVEY' THEN pr.residence_address ELSE o.residence_address END,
  phone = CASE WHEN pr.status = 'REGISTERED_BY_SURVEY' THEN pr.phone ELSE o.phone END,
  survey_region_code = o.count_region,
  category = o.category,
  flags = o.flags,
  missing_schemes = o.missing,
  status = pg_temp.cmp_status(o.category, pr.status),
  last_run_id = (SELECT run_id FROM cmp_param),
  version = pr.version + 1,
  updated_at = now()
  FROM (SELECT o.*, f.flags, m.codes AS missing
          FROM cmp_out o
          JOIN cmp_flag_list f ON f.mask = o.flag_mask
          JOIN cmp_scheme_list m ON m.mask = o.missing_mask) o
 WHERE pr.id_number = o.id;

INSERT INTO person (id_number, name, gender, birth_date, ethnicity, hukou_region_code, hukou_address,
                    residence_region_code, residence_address, phone, survey_region_code, category,
                    flags, missing_schemes, status, last_run_id)
SELECT o.id, coalesce(o.name, ''), o.gender, o.birth_date, o.ethnicity,
       CASE WHEN length(o.hukou) <= 12 THEN o.hukou END, o.hukou_address,
       CASE WHEN length(o.residence) <= 12 THEN o.residence END, o.residence_address, o.phone,
       o.count_region, o.category, f.flags, m.codes,
       pg_temp.cmp_status(o.category, NULL),
       (SELECT run_id FROM cmp_param)
  FROM cmp_out o
  JOIN cmp_flag_list f ON f.mask = o.flag_mask
  JOIN cmp_scheme_list m ON m.mask = o.missing_mask
 WHERE NOT EXISTS (SELECT 1 FROM person pr WHERE pr.id_number = o.id)
 ORDER BY o.k; -- in key order, like the results

DO $$
DECLARE ix record;
BEGIN
  FOR ix IN SELECT * FROM cmp_person_index LOOP
    IF ix.conname IS NOT NULL THEN
      EXECUTE format('ALTER TABLE public.person ADD CONSTRAINT %I %s', ix.conname, ix.condef);
    ELSE
      EXECUTE ix.def;
    END IF;
  END LOOP;
END $$;
