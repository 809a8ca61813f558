-- Webhooks on job completion. Each account may hold one signing secret (HMAC-SHA256); it is shown once when
-- created and kept here because the coordinator must sign with it. A job may name a URL; when the job ends
-- (COMPLETED, FAILED, CANCELLED) one delivery row is made for it and retried with backoff until the receiver
-- answers 2xx or the attempts run out.
ALTER TABLE jobs ADD COLUMN webhook_url TEXT;

CREATE TABLE webhook_secrets (
    account     TEXT PRIMARY KEY,
    secret      TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE webhook_deliveries (
    job_id           TEXT PRIMARY KEY REFERENCES jobs (id),
    url              TEXT        NOT NULL,
    event            TEXT        NOT NULL,
    attempts         INTEGER     NOT NULL DEFAULT 0,
    next_attempt_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    delivered_at     TIMESTAMPTZ,
    gave_up_at       TIMESTAMPTZ,
    last_error       TEXT,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE delivered_at IS NULL AND gave_up_at IS NULL;
-- Finished jobs with a webhook and no delivery yet: what the sweep looks for.
CREATE INDEX jobs_webhook_pending ON jobs (finished_at) WHERE webhook_url IS NOT NULL AND state <> 'RUNNING';
