-- Household survey (入户调查) and review into the registry (审核入库): teams, assignment, the
-- registration form, visits, every task transition, the registry's history and change requests.

CREATE TYPE "VisitOutcome" AS ENUM ('COMPLETED', 'NOBODY_HOME', 'REFUSED', 'MOVED_AWAY', 'NOT_FOUND');
CREATE TYPE "ChangeState" AS ENUM ('SUBMITTED', 'STREET_APPROVED', 'APPROVED', 'RETURNED');

-- A newly found person (新发现人员) has a task that no comparison run opened.
ALTER TABLE "survey_task" ALTER COLUMN "created_run_id" DROP NOT NULL;
ALTER TABLE "survey_task" ALTER COLUMN "updated_run_id" DROP NOT NULL;
ALTER TABLE "survey_task" ADD COLUMN "released_at" TIMESTAMPTZ(3);
ALTER TABLE "survey_task" ADD COLUMN "team_id" INTEGER;
ALTER TABLE "survey_task" ADD COLUMN "newly_found" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "survey_task" ADD COLUMN "failed_visits" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "survey_task" ADD COLUMN "unreachable_reason" TEXT;
CREATE INDEX "survey_task_team_id_idx" ON "survey_task"("team_id");

-- 调查小组: 2–3 surveyors of one community (seed 001 第十八条).
CREATE TABLE "survey_team" (
    "id" SERIAL NOT NULL,
    "community_code" VARCHAR(12) NOT NULL,
    "name" TEXT NOT NULL,
    "member_ids" INTEGER[] DEFAULT ARRAY[]::INTEGER[],
    "created_by_id" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "survey_team_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "survey_team_community_code_idx" ON "survey_team"("community_code");
ALTER TABLE "survey_task" ADD CONSTRAINT "survey_task_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "survey_team"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- 登记表: the form of one task (draft until submitted; the data is validated by lib/survey/schema.ts).
CREATE TABLE "survey_form" (
    "task_id" INTEGER NOT NULL,
    "data" JSONB NOT NULL,
    "updated_by_id" INTEGER,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "submitted_at" TIMESTAMPTZ(3),
    CONSTRAINT "survey_form_pkey" PRIMARY KEY ("task_id")
);
ALTER TABLE "survey_form" ADD CONSTRAINT "survey_form_task_id_fkey" FOREIGN KEY ("task_id") REFERENCES "survey_task"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- 入户记录: every visit, including the ones that found nobody.
CREATE TABLE "survey_visit" (
    "id" SERIAL NOT NULL,
    "task_id" INTEGER NOT NULL,
    "outcome" "VisitOutcome" NOT NULL,
    "note" TEXT,
    "visited_by_id" INTEGER,
    "visited_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "survey_visit_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "survey_visit_task_id_idx" ON "survey_visit"("task_id");
ALTER TABLE "survey_visit" ADD CONSTRAINT "survey_visit_task_id_fkey" FOREIGN KEY ("task_id") REFERENCES "survey_task"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Every transition of a task (who, when, from, to, comment): the review trail.
CREATE TABLE "task_event" (
    "id" SERIAL NOT NULL,
    "task_id" INTEGER NOT NULL,
    "event" TEXT NOT NULL,
    "from_state" "SurveyTaskState" NOT NULL,
    "to_state" "SurveyTaskState" NOT NULL,
    "actor_id" INTEGER,
    "comment" TEXT,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "task_event_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "task_event_task_id_idx" ON "task_event"("task_id");
ALTER TABLE "task_event" ADD CONSTRAINT "task_event_task_id_fkey" FOREIGN KEY ("task_id") REFERENCES "survey_task"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The registry keeps the last approved survey's data and the history of every change.
ALTER TABLE "person" ADD COLUMN "survey_data" JSONB;
ALTER TABLE "person" ADD COLUMN "registered_at" TIMESTAMPTZ(3);

CREATE TABLE "person_history" (
    "id" SERIAL NOT NULL,
    "id_number" CHAR(18) NOT NULL,
    "field" TEXT NOT NULL,
    "old_value" TEXT,
    "new_value" TEXT,
    "reason" TEXT,
    "task_id" INTEGER,
    "change_request_id" INTEGER,
    "changed_by_id" INTEGER,
    "changed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "person_history_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "person_history_id_number_idx" ON "person_history"("id_number");

-- 变更登记: a proposed change of a person's basic data with its evidence.
CREATE TABLE "change_request" (
    "id" SERIAL NOT NULL,
    "id_number" CHAR(18) NOT NULL,
    "region_code" VARCHAR(12) NOT NULL,
    "changes" JSONB NOT NULL,
    "evidence" TEXT NOT NULL,
    "sensitive" BOOLEAN NOT NULL,
    "state" "ChangeState" NOT NULL DEFAULT 'SUBMITTED',
    "comment" TEXT,
    "requested_by_id" INTEGER,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "change_request_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "change_request_region_code_state_idx" ON "change_request"("region_code", "state");
