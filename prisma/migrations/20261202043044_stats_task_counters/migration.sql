-- Survey figures (statistics.md §3), kept current in the transaction of every change of a survey task
-- — a transition (lib/review), a newly found person (lib/survey), the tasks a comparison creates,
-- updates and settles — by triggers on survey_task, whatever writes it.
--
-- 1. Whether a task was ever submitted / ever returned (the return rate: tasks ever returned / tasks
--    submitted). Set by a row trigger only when the state becomes SUBMITTED or RETURNED (its WHEN
--    clause is checked without calling the function, so bulk updates pay nothing). Existing tasks
--    are filled from their events.
ALTER TABLE "survey_task" ADD COLUMN "ever_submitted" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "survey_task" ADD COLUMN "ever_returned" BOOLEAN NOT NULL DEFAULT false;
UPDATE "survey_task" t
   SET "ever_submitted" = t.state IN ('SUBMITTED', 'STREET_APPROVED', 'DISTRICT_APPROVED', 'RETURNED')
                          OR EXISTS (SELECT 1 FROM task_event e WHERE e.task_id = t.id AND e.to_state = 'SUBMITTED'),
       "ever_returned" = t.state = 'RETURNED' OR EXISTS (SELECT 1 FROM task_event e WHERE e.task_id = t.id AND e.to_state = 'RETURNED')
 WHERE t.state NOT IN ('PENDING', 'ASSIGNED');

CREATE FUNCTION survey_task_mark_ever() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.state = 'SUBMITTED' THEN NEW.ever_submitted := true; END IF;
  IF NEW.state = 'RETURNED' THEN NEW.ever_returned := true; END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER survey_task_mark_ever BEFORE INSERT OR UPDATE OF state ON survey_task
  FOR EACH ROW WHEN (NEW.state IN ('SUBMITTED', 'RETURNED')) EXECUTE FUNCTION survey_task_mark_ever();

-- 2. The counters: tasks (and their failed visits) per region, state, newly found, ever submitted,
--    ever returned, as signed deltas. The statement triggers only INSERT (never update a counter
--    row), so two transactions changing tasks of one community never wait for each other — nor the
--    comparison run's two connections, which change tasks side by side. Readers sum the rows of a
--    region prefix (lib/stats/survey.ts); a comparison run folds them into one row per group
--    (lib/stats/measures.ts statsStepSql), so the table stays a few rows per community and state.
CREATE TABLE "stats_task_count" (
    "id" BIGSERIAL NOT NULL,
    "region_code" VARCHAR(12) NOT NULL,
    "state" "SurveyTaskState" NOT NULL,
    "newly_found" BOOLEAN NOT NULL,
    "ever_submitted" BOOLEAN NOT NULL,
    "ever_returned" BOOLEAN NOT NULL,
    "tasks" INTEGER NOT NULL,
    "failed_visits" INTEGER NOT NULL,
    CONSTRAINT "stats_task_count_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "stats_task_count_region_code_idx" ON "stats_task_count"("region_code");

INSERT INTO stats_task_count (region_code, state, newly_found, ever_submitted, ever_returned, tasks, failed_visits)
SELECT region_code, state, newly_found, ever_submitted, ever_returned, count(*), sum(failed_visits)
  FROM survey_task GROUP BY 1, 2, 3, 4, 5;

CREATE FUNCTION stats_task_count_delta() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO stats_task_count (region_code, state, newly_found, ever_submitted, ever_returned, tasks, failed_visits)
    SELECT region_code, state, newly_found, ever_submitted, ever_returned, count(*), sum(failed_visits)
      FROM new_rows GROUP BY 1, 2, 3, 4, 5;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO stats_task_count (region_code, state, newly_found, ever_submitted, ever_returned, tasks, failed_visits)
    SELECT region_code, state, newly_found, ever_submitted, ever_returned, -count(*), -sum(failed_visits)
      FROM old_rows GROUP BY 1, 2, 3, 4, 5;
  ELSE
    INSERT INTO stats_task_count (region_code, state, newly_found, ever_submitted, ever_returned, tasks, failed_visits)
    SELECT region_code, state, newly_found, ever_submitted, ever_returned, sum(n), sum(f)
      FROM (SELECT region_code, state, newly_found, ever_submitted, ever_returned, 1 AS n, failed_visits AS f FROM new_rows
            UNION ALL
            SELECT region_code, state, newly_found, ever_submitted, ever_returned, -1, -failed_visits FROM old_rows) d
     GROUP BY 1, 2, 3, 4, 5
    HAVING sum(n) <> 0 OR sum(f) <> 0;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER stats_task_count_insert AFTER INSERT ON survey_task
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stats_task_count_delta();
CREATE TRIGGER stats_task_count_update AFTER UPDATE ON survey_task
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stats_task_count_delta();
CREATE TRIGGER stats_task_count_delete AFTER DELETE ON survey_task
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION stats_task_count_delta();
