-- A restore (lib/backup/restore.ts) writes every table back as it was, derived tables included: the
-- triggers that derive data from survey_task (the survey counters and the ever-submitted/returned
-- marks, statistics.md §3) must not derive it a second time from the restored rows. The restore
-- sets the transaction-local setting enrolment.restoring = 'on'; these triggers then do nothing.
-- (Anyone may set the setting, but it only spares triggers that write tables the same roles may
-- write directly: it grants nothing.)
CREATE OR REPLACE FUNCTION survey_task_mark_ever() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('enrolment.restoring', true) = 'on' THEN RETURN NEW; END IF;
  IF NEW.state = 'SUBMITTED' THEN NEW.ever_submitted := true; END IF;
  IF NEW.state = 'RETURNED' THEN NEW.ever_returned := true; END IF;
  RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION stats_task_count_delta() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('enrolment.restoring', true) = 'on' THEN RETURN NULL; END IF;
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
