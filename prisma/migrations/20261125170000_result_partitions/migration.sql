-- comparison_result is partitioned by run: a run's second connection (lib/comparison/run.ts RowWriter)
-- creates `comparison_result_<run id>` in its transaction, fills it with COPY FREEZE (rows written
-- once, already frozen, without WAL when wal_level is minimal) and attaches it before it commits
-- (lib/db/partitions.ts). Results of earlier runs move to one partition per run. Columns, defaults,
-- the primary key and the (run_id, category) index are those of the former table.
ALTER TABLE "comparison_result" RENAME TO "comparison_result_unpartitioned";
ALTER TABLE "comparison_result_unpartitioned" RENAME CONSTRAINT "comparison_result_pkey" TO "comparison_result_unpartitioned_pkey";
ALTER INDEX "comparison_result_run_id_category_idx" RENAME TO "comparison_result_unpartitioned_run_id_category_idx";
CREATE TABLE "comparison_result" (LIKE "comparison_result_unpartitioned" INCLUDING DEFAULTS) PARTITION BY LIST ("run_id");
ALTER TABLE "comparison_result" ADD CONSTRAINT "comparison_result_pkey" PRIMARY KEY ("run_id", "id_number");
CREATE INDEX "comparison_result_run_id_category_idx" ON "comparison_result"("run_id", "category");
DO $$
DECLARE r INTEGER;
BEGIN
  FOR r IN SELECT DISTINCT run_id FROM comparison_result_unpartitioned ORDER BY 1 LOOP
    EXECUTE format('CREATE TABLE %I PARTITION OF comparison_result FOR VALUES IN (%s)', 'comparison_result_' || r, r);
  END LOOP;
END $$;
INSERT INTO "comparison_result" SELECT * FROM "comparison_result_unpartitioned";
DROP TABLE "comparison_result_unpartitioned";
