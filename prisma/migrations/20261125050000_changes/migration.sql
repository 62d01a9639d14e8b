-- 变更登记 (seed 003 第十二条): the registry keeps the hukou type (户口性质), one of the fields whose
-- change needs the street's initial review and the district's approval. Empty until a change sets it.
ALTER TABLE "person" ADD COLUMN "hukou_type" TEXT;

-- The change requests of one person, newest first, on the person page.
CREATE INDEX "change_request_id_number_idx" ON "change_request"("id_number");
