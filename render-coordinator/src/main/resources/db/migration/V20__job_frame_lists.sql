-- A job renders an explicit list of frames ("1-100x5", "3,7,9-12"), not only a contiguous range;
-- frame_start and frame_end stay as the list's first and last frame.
ALTER TABLE jobs ADD COLUMN frame_list INTEGER[];
UPDATE jobs SET frame_list = ARRAY(SELECT generate_series(frame_start, frame_end));
ALTER TABLE jobs ALTER COLUMN frame_list SET NOT NULL;

-- Listing an account's jobs newest first, page by page.
CREATE INDEX jobs_account_created ON jobs (account, created_at DESC, id DESC);

-- Idempotency-Key on job creation: the same key from the same account names the same job; the
-- request's digest tells a replay from a different request under a reused key.
CREATE TABLE job_idempotency_keys (
    account         TEXT        NOT NULL,
    idempotency_key TEXT        NOT NULL,
    request_digest  TEXT        NOT NULL,
    job_id          TEXT        NOT NULL REFERENCES jobs (id),
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (account, idempotency_key)
);
