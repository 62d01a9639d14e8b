-- A comparison run writes its survey tasks (hundreds of thousands at 1M persons) in one statement,
-- inside the transaction that also writes (and finishes) its comparison_run row. The foreign keys
-- created_run_id / updated_run_id → comparison_run cost two trigger calls and two row locks per task
-- written (about seven seconds per run at that size) and guard nothing: the run sets both columns
-- to its own id, and comparison_run rows are never deleted (a failed run is marked FAILED, not
-- removed), so the reference cannot dangle. The columns stay; only the constraints go, as for the
-- result tables in migration comparison_bulk. (team_id keeps its key: the survey workflow writes it.)
ALTER TABLE "survey_task" DROP CONSTRAINT "survey_task_created_run_id_fkey";
ALTER TABLE "survey_task" DROP CONSTRAINT "survey_task_updated_run_id_fkey";
