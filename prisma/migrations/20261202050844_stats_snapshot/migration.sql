-- Month-end snapshots of the statistics (issue 12 "统计报表"): the figures a month had, kept so that
-- the month can be reported again later and trends exist between runs. One row per month, community
-- (or '-') and figure: the measures of statistics.md §2 of the run that was the latest at the time,
-- and the survey tasks per state (`tasks:<STATE>`) as they stood. Taken by `npm run cli -- snapshot`
-- or automatically by the first dashboard of a new month for the month before (lib/stats/snapshot.ts).
CREATE TABLE "stats_snapshot" (
    "month" VARCHAR(7) NOT NULL,
    "region_code" VARCHAR(12) NOT NULL,
    "measure" TEXT NOT NULL,
    "value" INTEGER NOT NULL,
    "run_id" INTEGER,
    "taken_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "stats_snapshot_pkey" PRIMARY KEY ("month","region_code","measure")
);
