-- A tile attempt belongs to the one worker that claimed it: the claim is the one server-side gate between a
-- ticket on a topic and the task (seeds, URLs) a worker renders.
CREATE TABLE tile_claims (
    job_id      TEXT        NOT NULL,
    frame       INTEGER     NOT NULL,
    tile        INTEGER     NOT NULL,
    attempt     INTEGER     NOT NULL,
    worker_id   TEXT        NOT NULL,
    claimed_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (job_id, frame, tile, attempt)
);
CREATE INDEX tile_claims_worker ON tile_claims (worker_id, claimed_at);

-- Attempts min_attempt..attempt of a tile are live: a verified result of any of them counts (the first one wins).
-- A claim refused because another worker holds the attempt publishes one more attempt without ending the holder's;
-- a failed verdict or a rejected frame ends every earlier attempt.
ALTER TABLE tiles ADD COLUMN min_attempt INTEGER;
UPDATE tiles SET min_attempt = attempt;
ALTER TABLE tiles ALTER COLUMN min_attempt SET NOT NULL;
ALTER TABLE tiles ALTER COLUMN min_attempt SET DEFAULT 1;
-- Refusals of the tile's claims that sent it back to be published again (bounded, so a refused worker cannot spin it).
ALTER TABLE tiles ADD COLUMN refusals INTEGER NOT NULL DEFAULT 0;
-- The verified attempt and the digest of the bytes the verifier judged: a frame is assembled only from those bytes.
ALTER TABLE tiles ADD COLUMN verified_attempt INTEGER;
ALTER TABLE tiles ADD COLUMN verified_digest TEXT;

-- An operator's block of a worker: its claims are refused.
ALTER TABLE workers ADD COLUMN blocked_reason TEXT;
ALTER TABLE workers ADD COLUMN blocked_at TIMESTAMPTZ;

-- What happened to a job that its artist should read: e.g. a verified tile whose stored bytes no longer matched
-- the verified digest at assembly, and went back to render.
CREATE TABLE job_notices (
    id      BIGSERIAL   PRIMARY KEY,
    job_id  TEXT        NOT NULL,
    at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    detail  TEXT        NOT NULL
);
CREATE INDEX job_notices_job ON job_notices (job_id, id);
