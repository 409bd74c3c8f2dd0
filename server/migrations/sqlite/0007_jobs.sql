-- Scheduled jobs: appointment reminders, post-procedure follow-ups and reactivation
-- messages. `job_key` names the occurrence (`reminder:<appointment>:<start>`,
-- `follow_up:<appointment>:<day>`, `reactivation:<campaign>:<sender>`) and is unique, so a
-- job is created once however often it is scheduled. A process takes a due job by moving it
-- to `running` with a lease (`lease_until`); a job whose lease ran out (its process died)
-- is due again. Times are Unix seconds.
CREATE TABLE scheduled_jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    job_key TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    sender_id TEXT NOT NULL,
    appointment_id INTEGER,
    payload TEXT NOT NULL,
    due_at REAL NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    lease_until REAL,
    attempts INTEGER NOT NULL DEFAULT 0,
    outcome TEXT,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL
);
-- The scheduler looks for pending jobs that came due and running ones whose lease expired.
CREATE INDEX scheduled_jobs_due ON scheduled_jobs (status, due_at);

-- The patient's answer to a follow-up's satisfaction question: one per appointment (a
-- later answer replaces it). `score` is 1 (bad) to 5 (great).
CREATE TABLE appointment_feedback (
    appointment_id INTEGER PRIMARY KEY,
    sender_id TEXT NOT NULL,
    score INTEGER NOT NULL,
    answer TEXT NOT NULL,
    answered_at REAL NOT NULL
);

-- Outbox rows queued by a job carry `dedup_key` (job key and message index), so a job
-- retried after a crash queues each message once; `fallback` is the job's own template,
-- sent instead when the 24-hour window is closed (error 131047).
ALTER TABLE whatsapp_outbox ADD COLUMN dedup_key TEXT;
ALTER TABLE whatsapp_outbox ADD COLUMN fallback TEXT;
CREATE UNIQUE INDEX whatsapp_outbox_dedup ON whatsapp_outbox (dedup_key);
