-- District analysis reports (分析报告, seed 000 七2; issue 12 "Reports"): one per district and month
-- (China time). The district reviewer writes its commentary (saved as a draft) and submits the report
-- to the city (报送): who and when are stored, and the figures the report was submitted with are frozen
-- in `data` (the district's and its streets' figures, the comparison base, the reasons), so that the
-- report reads the same later whatever the runs and surveys do. A submitted report is not changed.
CREATE TABLE "stats_analysis_report" (
    "id" SERIAL NOT NULL,
    "region_code" VARCHAR(6) NOT NULL,
    "month" VARCHAR(7) NOT NULL,
    "commentary" TEXT NOT NULL DEFAULT '',
    "data" JSONB,
    "saved_by" INTEGER,
    "saved_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "submitted_by" INTEGER,
    "submitted_by_login" TEXT,
    "submitted_at" TIMESTAMPTZ(3),
    "version" INTEGER NOT NULL DEFAULT 1,
    CONSTRAINT "stats_analysis_report_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "stats_analysis_report_submitted" CHECK (("submitted_at" IS NULL) = ("data" IS NULL))
);

CREATE UNIQUE INDEX "stats_analysis_report_region_code_month_key" ON "stats_analysis_report"("region_code", "month");
CREATE INDEX "stats_analysis_report_month_idx" ON "stats_analysis_report"("month");

ALTER TABLE "stats_analysis_report" ADD CONSTRAINT "stats_analysis_report_region_code_fkey" FOREIGN KEY ("region_code") REFERENCES "region"("code") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "stats_analysis_report" ADD CONSTRAINT "stats_analysis_report_saved_by_fkey" FOREIGN KEY ("saved_by") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "stats_analysis_report" ADD CONSTRAINT "stats_analysis_report_submitted_by_fkey" FOREIGN KEY ("submitted_by") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;
