-- The comparison's result tables are written a million rows at a time, in one statement each, by the
-- run itself inside the transaction that also writes (and finishes) its comparison_run row. A foreign
-- key there costs one trigger call and one row lock per result row (seconds per run) and guards
-- nothing the run does not already guarantee, so these tables keep run_id without a constraint.
-- (survey_task keeps its keys: the survey workflow writes it row by row.)
ALTER TABLE "comparison_result" DROP CONSTRAINT "comparison_result_run_id_fkey";
ALTER TABLE "comparison_invalid_row" DROP CONSTRAINT "comparison_invalid_row_run_id_fkey";
ALTER TABLE "comparison_count" DROP CONSTRAINT "comparison_count_run_id_fkey";
ALTER TABLE "comparison_diff" DROP CONSTRAINT "comparison_diff_run_id_fkey";
