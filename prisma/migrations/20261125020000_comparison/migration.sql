-- Comparison (数据比对): runs, their per-person results, invalid rows, dashboard counts, the diff
-- against the previous run, and the survey tasks a run opens, keeps or settles (comparison-rules.md §6).
-- The rules themselves live in lib/comparison/sql/*.sql.

CREATE TYPE "ComparisonStatus" AS ENUM ('RUNNING', 'DONE', 'FAILED');
CREATE TYPE "SurveyBasis" AS ENUM ('hukou', 'residence');
CREATE TYPE "DiffChange" AS ENUM ('NEW', 'GONE', 'CHANGED');
CREATE TYPE "SurveyTaskState" AS ENUM ('PENDING', 'ASSIGNED', 'DRAFT', 'SUBMITTED', 'STREET_APPROVED', 'DISTRICT_APPROVED', 'RETURNED', 'UNREACHABLE', 'SETTLED');

-- 比对批次: one row per run; inserted (RUNNING) before the run's transaction, finished inside it.
CREATE TABLE "comparison_run" (
    "id" SERIAL NOT NULL,
    "as_of" DATE NOT NULL,
    "basis" "SurveyBasis" NOT NULL DEFAULT 'hukou',
    "city_code" VARCHAR(4) NOT NULL,
    "status" "ComparisonStatus" NOT NULL DEFAULT 'RUNNING',
    "started_by_id" INTEGER,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),
    "duration_ms" INTEGER,
    "input_batch_ids" INTEGER[] DEFAULT ARRAY[]::INTEGER[],
    "previous_run_id" INTEGER,
    "counts" JSONB,
    "error" TEXT,
    CONSTRAINT "comparison_run_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "comparison_run_status_idx" ON "comparison_run"("status");

-- 比对结果: one row per person in scope (the results export, plus what counting and scoping need).
-- `region_code` is the export's survey community (empty unless the person needs a survey and has a
-- known community); `survey_region_code` the chosen code as found (hukou or residence, maybe unknown).
CREATE TABLE "comparison_result" (
    "run_id" INTEGER NOT NULL,
    "id_number" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "flags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "missing_schemes" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "active_schemes" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "region_code" VARCHAR(12),
    "survey_region_code" TEXT,
    "hukou_region_code" TEXT,
    "count_region_code" VARCHAR(12),
    "non_local" BOOLEAN NOT NULL DEFAULT false,
    "age" INTEGER NOT NULL,
    CONSTRAINT "comparison_result_pkey" PRIMARY KEY ("run_id", "id_number")
);
CREATE INDEX "comparison_result_run_id_category_idx" ON "comparison_result"("run_id", "category");
ALTER TABLE "comparison_result" ADD CONSTRAINT "comparison_result_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "comparison_run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- 无效记录: the rows of the run's input batches set aside (bad ID of each reason, duplicate_id).
CREATE TABLE "comparison_invalid_row" (
    "run_id" INTEGER NOT NULL,
    "batch_id" INTEGER NOT NULL,
    "line_no" INTEGER NOT NULL,
    "kind" "ImportKind" NOT NULL,
    "id_raw" TEXT,
    "reason" TEXT NOT NULL,
    CONSTRAINT "comparison_invalid_row_pkey" PRIMARY KEY ("run_id", "batch_id", "line_no")
);
ALTER TABLE "comparison_invalid_row" ADD CONSTRAINT "comparison_invalid_row_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "comparison_run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Counts per category × region × scheme, for the dashboards. One row per (region, category, scheme):
-- scheme '' is the category total (persons; insured = with any active scheme; missing = with any
-- missing scheme); scheme '110'… counts the category's persons with that scheme active / missing.
-- Persons without a known community (non-local, no_region) are counted at the city level only.
CREATE TABLE "comparison_count" (
    "run_id" INTEGER NOT NULL,
    "level" "RegionLevel" NOT NULL,
    "region_code" VARCHAR(12) NOT NULL,
    "category" TEXT NOT NULL,
    "scheme" VARCHAR(3) NOT NULL,
    "persons" INTEGER NOT NULL,
    "insured" INTEGER NOT NULL,
    "missing" INTEGER NOT NULL,
    CONSTRAINT "comparison_count_pkey" PRIMARY KEY ("run_id", "region_code", "category", "scheme")
);
ALTER TABLE "comparison_count" ADD CONSTRAINT "comparison_count_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "comparison_run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- 与上次比对的差异: persons new to scope, gone from it, or whose category changed.
CREATE TABLE "comparison_diff" (
    "run_id" INTEGER NOT NULL,
    "id_number" TEXT NOT NULL,
    "change" "DiffChange" NOT NULL,
    "old_category" TEXT,
    "new_category" TEXT,
    "region_code" VARCHAR(12),
    CONSTRAINT "comparison_diff_pkey" PRIMARY KEY ("run_id", "id_number")
);
ALTER TABLE "comparison_diff" ADD CONSTRAINT "comparison_diff_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "comparison_run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- 入户调查任务: opened by a comparison for a person who needs a survey, in the run's survey community.
-- `version` is for optimistic locking by the survey workflow (every update increments it).
CREATE TABLE "survey_task" (
    "id" SERIAL NOT NULL,
    "id_number" TEXT NOT NULL,
    "region_code" VARCHAR(12) NOT NULL,
    "state" "SurveyTaskState" NOT NULL DEFAULT 'PENDING',
    "reason" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "flags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "missing_schemes" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "created_run_id" INTEGER NOT NULL,
    "updated_run_id" INTEGER NOT NULL,
    "closed_at" TIMESTAMPTZ(3),
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "survey_task_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "survey_task_id_number_idx" ON "survey_task"("id_number");
CREATE INDEX "survey_task_region_code_state_idx" ON "survey_task"("region_code", "state");
ALTER TABLE "survey_task" ADD CONSTRAINT "survey_task_created_run_id_fkey" FOREIGN KEY ("created_run_id") REFERENCES "comparison_run"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "survey_task" ADD CONSTRAINT "survey_task_updated_run_id_fkey" FOREIGN KEY ("updated_run_id") REFERENCES "comparison_run"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
