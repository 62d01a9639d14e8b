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

-- The persons already registered whose row the run changes, with the row's new values (a row of a
-- person registered by survey keeps the survey's basic data). Only a row the run changes is
-- written: its `last_run_id` is the run whose result it holds (the latest run that changed it) and
-- its `version` (the optimistic lock of change requests and the survey workflow) moves on only
-- then, so a repeated run over unchanged data writes no registry row. Found in one parallel pass;
-- the UPDATE then touches only these rows.
CREATE UNLOGGED TABLE cmp_registry_change AS
SELECT n.id_number, n.was_status, n.was_category, n.was_flags, n.was_missing_schemes, n.name, n.gender, n.birth_date, n.ethnicity, n.hukou_region_code,
       n.hukou_address, n.residence_region_code, n.residence_address, n.phone, n.survey_region_code, n.category,
       n.flags, n.missing_schemes, n.status
  FROM (SELECT p.id_number, p.status AS was_status, p.category AS was_category,
               CASE WHEN p.status = 'REGISTERED_BY_SURVEY' THEN p.name ELSE coalesce(o.name, '') END AS name,
               CASE WHEN p.status = 'REGISTERED_BY_SURVEY' THEN p.gender ELSE o.gender END AS gender,
               CASE WHEN p.status = 'REGISTERED_BY_SURVEY' THEN p.birth_date ELSE o.birth_date END AS birth_date,
               CASE WHEN p.status = 'REGISTERED_BY_SURVEY' THEN p.ethnicity ELSE o.ethnicity END AS ethnicity,
               CASE WHEN p.status = 'REGISTERED_BY_SURVEY' THEN p.hukou_region_code
                    WHEN length(o.hukou) <= 12 THEN o.hukou END AS hukou_region_code,
               CASE WHEN p.status = 'REGISTERED_BY_SURVEY' THEN p.hukou_address ELSE o.hukou_address END AS hukou_address,
               CASE WHEN p.status = 'REGISTERED_BY_SURVEY' THEN p.residence_region_code
                    WHEN length(o.residence) <= 12 THEN o.residence END AS residence_region_code,
               CASE WHEN p.status = 'REGISTERED_BY_SURVEY' THEN p.residence_address ELSE o.residence_address END AS residence_address,
               CASE WHEN p.status = 'REGISTERED_BY_SURVEY' THEN p.phone ELSE o.phone END AS phone,
               o.count_region AS survey_region_code, o.category, f.flags, m.codes AS missing_schemes,
               pg_temp.cmp_status(o.category, f.flags, m.codes, p.status, p.category, p.flags, p.missing_schemes) AS status,
               p.name AS was_name, p.gender AS was_gender, p.birth_date AS was_birth_date, p.ethnicity AS was_ethnicity,
               p.hukou_region_code::text AS was_hukou_region_code, p.hukou_address AS was_hukou_address,
               p.residence_region_code::text AS was_residence_region_code, p.residence_address AS was_residence_address,
               p.phone AS was_phone, p.survey_region_code::text AS was_survey_region_code, p.flags AS was_flags,
               p.missing_schemes AS was_missing_schemes
          FROM person p
          JOIN cmp_out o ON o.id = p.id_number
          JOIN cmp_flag_list f ON f.mask = o.flag_mask
          JOIN cmp_scheme_list m ON m.mask = o.missing_mask) n
 WHERE (n.was_name, n.was_gender, n.was_birth_date, n.was_ethnicity, n.was_hukou_region_code, n.was_hukou_address,
        n.was_residence_region_code, n.was_residence_address, n.was_phone, n.was_survey_region_code, n.was_category,
        n.was_flags, n.was_missing_schemes, n.was_status)
       IS DISTINCT FROM
       (n.name, n.gender, n.birth_date, n.ethnicity, n.hukou_region_code::text, n.hukou_address, n.residence_region_code::text,
        n.residence_address, n.phone, n.survey_region_code::text, n.category, n.flags, n.missing_schemes, n.status);

-- domain.md "Every change keeps a history row (what, old, new, who, when, why)" and "when a later
-- comparison finds a new problem, a new survey task opens and the history shows why": a registry row
-- whose registration status or category the run changes gets a row for each, written by the run's
-- starter with the run as the reason; when the status changes, changed flags and missing schemes
-- (codes joined by ';') get one too, so that the new problem of a person registered by survey is on
-- record. Choice: a new row (first seen by this run) gets none — its result is the run's, listed in
-- the run's person list — nor do other changes of flags, schemes or basic data from the population
-- batches, which the run's result rows and diff keep per run.
INSERT INTO person_history (id_number, field, old_value, new_value, reason, changed_by_id)
SELECT c.id_number, v.field, v.was, v.now, '数据比对 #' || prm.run_id, prm.started_by
  FROM cmp_registry_change c
  CROSS JOIN cmp_param prm
  CROSS JOIN LATERAL (VALUES ('status', c.was_status::text, c.status::text, true), ('category', c.was_category, c.category, true),
                             ('flags', array_to_string(c.was_flags, ';'), array_to_string(c.flags, ';'), c.was_status IS DISTINCT FROM c.status),
                             ('missing_schemes', array_to_string(c.was_missing_schemes, ';'), array_to_string(c.missing_schemes, ';'),
                              c.was_status IS DISTINCT FROM c.status)) AS v(field, was, now, kept)
 WHERE v.kept AND v.was IS DISTINCT FROM v.now;

UPDATE person pr SET
  (name, gender, birth_date, ethnicity, hukou_region_code, hukou_address, residence_region_code, residence_address,
   phone, survey_region_code, category, flags, missing_schemes, status, last_run_id, version, updated_at) =
  (c.name, c.gender, c.birth_date, c.ethnicity, c.hukou_region_code, c.hukou_address, c.residence_region_code, c.residence_address,
   c.phone, c.survey_region_code, c.category, c.flags, c.missing_schemes, c.status, (SELECT run_id FROM cmp_param), pr.version + 1, now())
  FROM cmp_registry_change c
 WHERE pr.id_number = c.id_number;

INSERT INTO person (id_number, name, gender, birth_date, ethnicity, hukou_region_code, hukou_address,
                    residence_region_code, residence_address, phone, survey_region_code, category,
                    flags, missing_schemes, status, last_run_id)
SELECT o.id, coalesce(o.name, ''), o.gender, o.birth_date, o.ethnicity,
       CASE WHEN length(o.hukou) <= 12 THEN o.hukou END, o.hukou_address,
       CASE WHEN length(o.residence) <= 12 THEN o.residence END, o.residence_address, o.phone,
       o.count_region, o.category, f.flags, m.codes,
       pg_temp.cmp_status(o.category, f.flags, m.codes, NULL, NULL, NULL, NULL),
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
