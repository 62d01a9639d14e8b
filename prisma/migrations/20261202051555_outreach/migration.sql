-- Outreach ledger (工作台账, statistics.md §5 "Outreach", seed 004 第30条): the persons a comparison
-- run found not (fully) insured, the contacts staff record with them, and their leaving the ledger
-- as enrolled (促进参保) when a later run finds their missing schemes active. Settled set-based after
-- each run by lib/outreach/sql/settle.sql.

-- One entry per person and run that put them in. Only one entry of a person is OPEN at a time.
CREATE TABLE "outreach_entry" (
    "id" SERIAL NOT NULL,
    "id_number" TEXT NOT NULL,
    -- the run that put the person in the ledger, and the missing schemes it found then (S)
    "run_id" INTEGER NOT NULL,
    "source" TEXT NOT NULL,
    "entry_missing" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    -- as the last run that saw the person found them (community counted in, category, schemes)
    "last_run_id" INTEGER NOT NULL,
    "region_code" VARCHAR(12),
    "category" TEXT NOT NULL,
    "missing_schemes" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "interrupted_schemes" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "status" TEXT NOT NULL DEFAULT 'OPEN',
    "settled_run_id" INTEGER,
    "settled_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "outreach_entry_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "outreach_entry_source_check" CHECK ("source" IN ('COMPARISON', 'SURVEY')),
    CONSTRAINT "outreach_entry_status_check" CHECK ("status" IN ('OPEN', 'ENROLLED', 'CLOSED'))
);
CREATE UNIQUE INDEX "outreach_entry_id_number_run_id_key" ON "outreach_entry"("id_number", "run_id");
CREATE UNIQUE INDEX "outreach_entry_open_key" ON "outreach_entry"("id_number") WHERE "status" = 'OPEN';
CREATE INDEX "outreach_entry_status_region_code_idx" ON "outreach_entry"("status", "region_code");
CREATE INDEX "outreach_entry_settled_run_id_idx" ON "outreach_entry"("settled_run_id");

-- 联系记录: each contact with a person of the ledger.
CREATE TABLE "outreach_contact" (
    "id" SERIAL NOT NULL,
    "entry_id" INTEGER NOT NULL,
    "contacted_on" DATE NOT NULL,
    "channel" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "promised_on" DATE,
    "note" TEXT,
    "recorded_by_id" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "outreach_contact_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "outreach_contact_entry_id_fkey" FOREIGN KEY ("entry_id") REFERENCES "outreach_entry"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "outreach_contact_entry_id_idx" ON "outreach_contact"("entry_id");

-- The runs the ledger has been settled with (settling is idempotent: a run is settled once).
CREATE TABLE "outreach_settlement" (
    "run_id" INTEGER NOT NULL,
    "entered" INTEGER NOT NULL,
    "enrolled" INTEGER NOT NULL,
    "closed" INTEGER NOT NULL,
    "settled_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "outreach_settlement_pkey" PRIMARY KEY ("run_id")
);
