-- Statistics (statistics.md, lib/stats).
-- 1. Two per-person facts of comparison-rules.md §3 that the statistics count and the result row did
--    not keep: whether pension applies (age ≥ 16 and not a student) and whether the employee set
--    applies. Rows of runs before this migration have NULL (unknown); those runs have no statistics.
ALTER TABLE "comparison_result" ADD COLUMN "pension_applies" BOOLEAN;
ALTER TABLE "comparison_result" ADD COLUMN "employee_applies" BOOLEAN;

-- 2. The measures of statistics.md §2 per run and statistics region: one row per run, community
--    (12 digits) or '-' (persons counted at city level only, §1) and measure (lib/stats/measures.ts).
--    Written by the comparison run in its transaction; `registered` is kept current by the district
--    approval of a survey (lib/stats/registered.ts) in the approval's transaction. Streets, districts
--    and the city are sums of their communities by code prefix.
CREATE TABLE "stats_measure" (
    "run_id" INTEGER NOT NULL,
    "region_code" VARCHAR(12) NOT NULL,
    "measure" TEXT NOT NULL,
    "value" INTEGER NOT NULL,
    CONSTRAINT "stats_measure_pkey" PRIMARY KEY ("run_id","region_code","measure")
);

-- 3. Settings of the statistics per city: the pension coverage target below which a rate is marked
--    (seed 002: 90 %). A city without a row uses 90.
CREATE TABLE "stats_setting" (
    "city_code" VARCHAR(4) NOT NULL,
    "pension_target" DOUBLE PRECISION NOT NULL DEFAULT 90,
    CONSTRAINT "stats_setting_pkey" PRIMARY KEY ("city_code")
);
