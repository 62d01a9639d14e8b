-- Account security (issue 11, findings 1, 3, 4).
-- app_user: a session version every session token carries (bumped on sign-out, password change,
-- post change, disable: older tokens stop working), a forced password change, the time the account
-- was last active (idle timeout) and when a business account was confirmed by a second person
-- (NULL: not confirmed, cannot sign in). Existing accounts count as confirmed.
ALTER TABLE "app_user" ADD COLUMN "session_version" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "app_user" ADD COLUMN "must_change_password" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "app_user" ADD COLUMN "password_changed_at" TIMESTAMPTZ(3);
ALTER TABLE "app_user" ADD COLUMN "last_active_at" TIMESTAMPTZ(3);
ALTER TABLE "app_user" ADD COLUMN "confirmed_at" TIMESTAMPTZ(3);
UPDATE "app_user" SET "confirmed_at" = "created_at";

-- Account steps an administrator requests and a business user at the level above confirms:
-- a new business account, a change of post, a password reset of a business account.
CREATE TYPE "AccountRequestKind" AS ENUM ('CREATE', 'CHANGE_POST', 'RESET_PASSWORD');
CREATE TYPE "AccountRequestState" AS ENUM ('PENDING', 'CONFIRMED', 'REFUSED', 'WITHDRAWN');
CREATE TABLE "account_request" (
    "id" SERIAL NOT NULL,
    "kind" "AccountRequestKind" NOT NULL,
    "state" "AccountRequestState" NOT NULL DEFAULT 'PENDING',
    "user_id" INTEGER NOT NULL,
    "role" "Role" NOT NULL,
    "region_code" VARCHAR(12) NOT NULL,
    "confirmer_role" "Role" NOT NULL,
    "requested_by_id" INTEGER NOT NULL,
    "requested_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decided_by_id" INTEGER,
    "decided_at" TIMESTAMPTZ(3),
    CONSTRAINT "account_request_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "account_request_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
CREATE INDEX "account_request_state_confirmer_role_region_code_idx" ON "account_request"("state", "confirmer_role", "region_code");
CREATE INDEX "account_request_user_id_idx" ON "account_request"("user_id");
-- At most one pending step per account.
CREATE UNIQUE INDEX "account_request_pending_user_key" ON "account_request"("user_id") WHERE "state" = 'PENDING';

-- Failed sign-ins per account and per client address, for throttling and lockout across processes.
CREATE TABLE "sign_in_throttle" (
    "key" TEXT NOT NULL,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "window_start" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "locked_until" TIMESTAMPTZ(3),
    CONSTRAINT "sign_in_throttle_pkey" PRIMARY KEY ("key")
);
