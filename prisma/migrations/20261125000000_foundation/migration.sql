-- Foundation: regions, users, posts, audit log, the registry's person table.

CREATE TYPE "Role" AS ENUM ('CITY_STAFF', 'DISTRICT_REVIEWER', 'STREET_CLERK', 'COMMUNITY_SURVEYOR', 'SYSTEM_ADMIN', 'AUDITOR');
CREATE TYPE "RegionLevel" AS ENUM ('CITY', 'DISTRICT', 'STREET', 'COMMUNITY');
CREATE TYPE "RegistrationStatus" AS ENUM ('CONFIRMED_BY_COMPARISON', 'NEEDS_SURVEY', 'REGISTERED_BY_SURVEY', 'EXCLUDED');

CREATE TABLE "region" (
    "code" VARCHAR(12) NOT NULL,
    "name" TEXT NOT NULL,
    "level" "RegionLevel" NOT NULL,
    "parent_code" VARCHAR(12),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "region_pkey" PRIMARY KEY ("code")
);
CREATE INDEX "region_parent_code_idx" ON "region"("parent_code");
ALTER TABLE "region" ADD CONSTRAINT "region_parent_code_fkey" FOREIGN KEY ("parent_code") REFERENCES "region"("code") ON DELETE SET NULL ON UPDATE CASCADE;

CREATE TABLE "app_user" (
    "id" SERIAL NOT NULL,
    "login" TEXT NOT NULL,
    "real_name" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "region_code" VARCHAR(12),
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "app_user_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "app_user_login_key" ON "app_user"("login");
CREATE INDEX "app_user_region_code_idx" ON "app_user"("region_code");
ALTER TABLE "app_user" ADD CONSTRAINT "app_user_region_code_fkey" FOREIGN KEY ("region_code") REFERENCES "region"("code") ON DELETE SET NULL ON UPDATE CASCADE;

CREATE TABLE "user_post" (
    "id" SERIAL NOT NULL,
    "user_id" INTEGER NOT NULL,
    "role" "Role" NOT NULL,
    "region_code" VARCHAR(12),
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ended_at" TIMESTAMPTZ(3),
    "changed_by_id" INTEGER,
    CONSTRAINT "user_post_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "user_post_user_id_idx" ON "user_post"("user_id");
ALTER TABLE "user_post" ADD CONSTRAINT "user_post_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE TABLE "audit_log" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "user_id" INTEGER,
    "user_login" TEXT,
    "action" TEXT NOT NULL,
    "entity" TEXT,
    "entity_id" TEXT,
    "region_code" VARCHAR(12),
    "reason" TEXT,
    "detail" JSONB,
    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "audit_log_at_idx" ON "audit_log"("at");
CREATE INDEX "audit_log_entity_entity_id_idx" ON "audit_log"("entity", "entity_id");

-- The audit log is append-only: a row, once written, cannot be changed or removed, even by the
-- application's own database user (stops a compromised or careless code path from erasing traces).
CREATE FUNCTION "audit_log_refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
CREATE TRIGGER "audit_log_append_only" BEFORE UPDATE OR DELETE ON "audit_log"
  FOR EACH ROW EXECUTE FUNCTION "audit_log_refuse_change"();
CREATE TRIGGER "audit_log_no_truncate" BEFORE TRUNCATE ON "audit_log"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_log_refuse_change"();

CREATE TABLE "person" (
    "id_number" CHAR(18) NOT NULL,
    "name" TEXT NOT NULL,
    "gender" CHAR(1),
    "birth_date" DATE,
    "ethnicity" TEXT,
    "hukou_region_code" VARCHAR(12),
    "hukou_address" TEXT,
    "residence_region_code" VARCHAR(12),
    "residence_address" TEXT,
    "phone" TEXT,
    "survey_region_code" VARCHAR(12),
    "category" TEXT,
    "flags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "missing_schemes" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "status" "RegistrationStatus" NOT NULL DEFAULT 'NEEDS_SURVEY',
    "last_run_id" INTEGER,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "person_pkey" PRIMARY KEY ("id_number")
);
CREATE INDEX "person_survey_region_code_idx" ON "person"("survey_region_code");
CREATE INDEX "person_hukou_region_code_idx" ON "person"("hukou_region_code");
