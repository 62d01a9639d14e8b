-- Reasons for not being insured from approved forms (statistics.md §3: each reason once per person),
-- kept as counters like the other survey figures (migration stats_task_counters), so that the
-- dashboard reads a few rows per community instead of joining every approved task with its form
-- on each request (at 1 M persons and a campaign's worth of approvals, that join alone took longer
-- than the page's whole 100 ms budget; see README "Pages at 1 M persons").
--
-- One row per community (the task's region) and reason: the persons with an approved
-- (DISTRICT_APPROVED) task in that community whose form gives that reason. A statement trigger on
-- survey_task moves the rows of the (community, person) pairs a statement touches by the difference
-- between their reason sets after and before the statement, so a person approved twice in one
-- community still counts once per reason. Readers sum the communities under a region prefix.
-- Approved forms are final (a spot check opens a new task). No INSERT trigger: a task's form is
-- written after the task (foreign key), so a task is approved by an UPDATE.
CREATE TABLE "stats_reason_count" (
    "region_code" VARCHAR(12) NOT NULL,
    "reason" TEXT NOT NULL,
    "persons" INTEGER NOT NULL,
    CONSTRAINT "stats_reason_count_pkey" PRIMARY KEY ("region_code", "reason")
);

CREATE FUNCTION stats_form_reasons(data jsonb) RETURNS SETOF text LANGUAGE sql IMMUTABLE AS $$
  SELECT jsonb_array_elements_text(CASE WHEN jsonb_typeof(data -> 'reasons') = 'array' THEN data -> 'reasons' ELSE '[]'::jsonb END)
$$;

INSERT INTO stats_reason_count (region_code, reason, persons)
SELECT t.region_code, r.reason, count(DISTINCT t.id_number)
  FROM survey_task t JOIN survey_form f ON f.task_id = t.id CROSS JOIN LATERAL stats_form_reasons(f.data) AS r(reason)
 WHERE t.state = 'DISTRICT_APPROVED'
 GROUP BY 1, 2;

-- touched: the ids of the statement's new rows that are approved; old_*: its old rows that were
-- approved (id, community, person); gone: tasks about to be deleted (still in the table). Rows sorted before the upsert, so that two transactions
-- approving in the same communities lock the counter rows in the same order.
CREATE FUNCTION stats_reason_count_apply(touched int[], old_ids int[], old_regions text[], old_persons text[], gone int[]) RETURNS void LANGUAGE sql AS $$
  WITH old_rows AS (SELECT * FROM unnest(old_ids, old_regions, old_persons) AS o(id, region_code, id_number)),
  affected AS (
    SELECT region_code, id_number FROM survey_task WHERE id = ANY (touched)
    UNION SELECT region_code, id_number FROM old_rows
  ),
  after_tasks AS (
    SELECT t.id, t.region_code::text AS region_code, t.id_number
      FROM survey_task t JOIN affected a ON a.region_code = t.region_code AND a.id_number = t.id_number
     WHERE t.state = 'DISTRICT_APPROVED' AND t.id <> ALL (gone)
  ),
  before_tasks AS (
    SELECT * FROM after_tasks WHERE id <> ALL (touched)
    UNION ALL SELECT id, region_code, id_number FROM old_rows
  ),
  d AS (
    SELECT region_code, reason, 1 AS n FROM (
      SELECT DISTINCT x.region_code, x.id_number, r.reason FROM after_tasks x JOIN survey_form f ON f.task_id = x.id CROSS JOIN LATERAL stats_form_reasons(f.data) AS r(reason)) a
    UNION ALL
    SELECT region_code, reason, -1 FROM (
      SELECT DISTINCT x.region_code, x.id_number, r.reason FROM before_tasks x JOIN survey_form f ON f.task_id = x.id CROSS JOIN LATERAL stats_form_reasons(f.data) AS r(reason)) b
  )
  INSERT INTO stats_reason_count AS c (region_code, reason, persons)
  SELECT region_code, reason, sum(n) FROM d GROUP BY 1, 2 HAVING sum(n) <> 0 ORDER BY 1, 2
  ON CONFLICT (region_code, reason) DO UPDATE SET persons = c.persons + EXCLUDED.persons
$$;

-- A restore (enrolment.restoring = 'on', migration restore_quiet_triggers) writes the counters back
-- as they were: the triggers then do nothing.
CREATE FUNCTION stats_reason_count_delta() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  touched int[];
  old_ids int[];
  old_regions text[];
  old_persons text[];
BEGIN
  IF current_setting('enrolment.restoring', true) = 'on' THEN RETURN NULL; END IF;
  SELECT coalesce(array_agg(id), '{}') INTO touched FROM new_rows WHERE state = 'DISTRICT_APPROVED';
  SELECT coalesce(array_agg(id), '{}'), coalesce(array_agg(region_code::text), '{}'), coalesce(array_agg(id_number), '{}')
    INTO old_ids, old_regions, old_persons
    FROM old_rows WHERE state = 'DISTRICT_APPROVED';
  IF cardinality(touched) = 0 AND cardinality(old_ids) = 0 THEN RETURN NULL; END IF;
  PERFORM stats_reason_count_apply(touched, old_ids, old_regions, old_persons, '{}');
  RETURN NULL;
END $$;
CREATE TRIGGER stats_reason_count_update AFTER UPDATE ON survey_task
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stats_reason_count_delta();

-- A deleted approved task: counted before the row goes, while its form (deleted with it by the
-- foreign key's cascade) is still there.
CREATE FUNCTION stats_reason_count_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('enrolment.restoring', true) = 'on' THEN RETURN OLD; END IF;
  PERFORM stats_reason_count_apply('{}', ARRAY[OLD.id], ARRAY[OLD.region_code::text], ARRAY[OLD.id_number], ARRAY[OLD.id]);
  RETURN OLD;
END $$;
CREATE TRIGGER stats_reason_count_delete BEFORE DELETE ON survey_task
  FOR EACH ROW WHEN (OLD.state = 'DISTRICT_APPROVED') EXECUTE FUNCTION stats_reason_count_deleted();
