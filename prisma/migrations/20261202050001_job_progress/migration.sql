-- Progress of long work (imports, comparison runs) lives in the database, not in a portal process's
-- memory: every portal process, and a reload after a restart, reads the same figures. A job names
-- the PostgreSQL backend doing its work; a job whose backend is gone was interrupted and is shown as
-- failed, not as running forever (lib/jobs/progress.ts).
CREATE TABLE "job_progress" (
    "job_key" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "user_id" INTEGER,
    "file_name" TEXT,
    "phase" TEXT NOT NULL,
    "done" BIGINT NOT NULL DEFAULT 0,
    "total" BIGINT NOT NULL DEFAULT 0,
    "rows" BIGINT NOT NULL DEFAULT 0,
    "label" TEXT,
    "backend_pid" INTEGER,
    "message" TEXT,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),

    CONSTRAINT "job_progress_pkey" PRIMARY KEY ("job_key")
);

CREATE INDEX "job_progress_user_id_updated_at_idx" ON "job_progress"("user_id", "updated_at");

ALTER TABLE "job_progress" ADD CONSTRAINT "job_progress_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- The backend of a comparison run's own connection: a RUNNING run whose backend is gone died.
ALTER TABLE "comparison_run" ADD COLUMN "backend_pid" INTEGER;
