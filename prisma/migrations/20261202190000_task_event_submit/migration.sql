-- The review queue asks, for every task it lists or counts, who submitted it last (the newest
-- 'submit' event), and its filter offers the submitters of the queue. Over the task_id index each
-- lookup read every event of the task and its heap rows; this partial index holds only the submit
-- events with their actor, so both are index-only (the queue's page at 1M persons: bench:pages).
CREATE INDEX "task_event_submit_idx" ON "task_event" ("task_id", "id" DESC) INCLUDE ("actor_id") WHERE "event" = 'submit';
