-- Quality spot checks (质量抽查, seed 000 九1, seed 004 第33条) and district assessment (考核, seed 000
-- 九2, seed 004 第34–35条): lib/quality.
--
-- A spot check: a district draws a random sample of the survey records its streets registered (tasks
-- approved by the district in a period). The seed is stored: ordering the period's tasks by
-- md5(seed || ':' || task id) and taking the first `size` gives the same sample again.
CREATE TABLE "spot_check" (
    "id" SERIAL NOT NULL,
    "district_code" VARCHAR(12) NOT NULL,
    "period_from" DATE NOT NULL,
    "period_to" DATE NOT NULL,
    "method" TEXT NOT NULL,
    "requested" INTEGER NOT NULL,
    "size" INTEGER NOT NULL,
    "population" INTEGER NOT NULL,
    "seed" TEXT NOT NULL,
    "created_by_id" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),

    CONSTRAINT "spot_check_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "spot_check_method_check" CHECK ("method" IN ('SIZE', 'PERCENT')),
    CONSTRAINT "spot_check_period_check" CHECK ("period_from" <= "period_to")
);

CREATE INDEX "spot_check_district_code_idx" ON "spot_check"("district_code");

-- One sampled record and its re-verification: per key field confirmed (true) or not (false).
CREATE TABLE "spot_check_item" (
    "id" SERIAL NOT NULL,
    "spot_check_id" INTEGER NOT NULL,
    "task_id" INTEGER NOT NULL,
    "id_number" TEXT NOT NULL,
    "region_code" VARCHAR(12) NOT NULL,
    "position" INTEGER NOT NULL,
    "result" TEXT,
    "findings" JSONB,
    "comment" TEXT,
    "checked_by_id" INTEGER,
    "checked_at" TIMESTAMPTZ(3),
    "reopened_task_id" INTEGER,

    CONSTRAINT "spot_check_item_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "spot_check_item_result_check" CHECK ("result" IS NULL OR "result" IN ('PASS', 'FAIL'))
);

CREATE UNIQUE INDEX "spot_check_item_spot_check_id_task_id_key" ON "spot_check_item"("spot_check_id", "task_id");
CREATE INDEX "spot_check_item_region_code_idx" ON "spot_check_item"("region_code");

ALTER TABLE "spot_check_item" ADD CONSTRAINT "spot_check_item_spot_check_id_fkey" FOREIGN KEY ("spot_check_id") REFERENCES "spot_check"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Assessment settings: the survey deadline the city sets for a run's tasks, and the indicator weights.
CREATE TABLE "run_deadline" (
    "run_id" INTEGER NOT NULL,
    "deadline" DATE NOT NULL,
    "set_by_id" INTEGER,
    "set_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),

    CONSTRAINT "run_deadline_pkey" PRIMARY KEY ("run_id")
);

CREATE TABLE "assessment_weight" (
    "indicator" TEXT NOT NULL,
    "weight" INTEGER NOT NULL,
    "set_by_id" INTEGER,
    "set_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),

    CONSTRAINT "assessment_weight_pkey" PRIMARY KEY ("indicator"),
    CONSTRAINT "assessment_weight_weight_check" CHECK ("weight" BETWEEN 0 AND 100)
);
