-- Peer checks: a result of an unproven numerical class is checked by a worker of an equivalent class (another owner,
-- another key) instead of the trusted verifier. The coordinator draws the pixels after the result exists and keeps
-- what it expects at each: the worker's own pixel, or a known answer (a pixel two workers of the class already agreed
-- on, flagged in known). One check per tile attempt.
CREATE TABLE peer_checks (
    id          BIGSERIAL   PRIMARY KEY,
    job_id      TEXT        NOT NULL,
    frame       INTEGER     NOT NULL,
    tile        INTEGER     NOT NULL,
    attempt     INTEGER     NOT NULL,
    worker_id   TEXT        NOT NULL,
    class_id    TEXT        NOT NULL,
    result      JSONB       NOT NULL,
    xy          INTEGER[]   NOT NULL,
    expected    REAL[]      NOT NULL,
    known       BOOLEAN[]   NOT NULL,
    state       TEXT        NOT NULL DEFAULT 'OPEN'
                CHECK (state IN ('OPEN', 'ISSUED', 'PASSED', 'REFEREE', 'FAILED')),
    peer_id     TEXT,
    issued_at   TIMESTAMPTZ,
    decided_at  TIMESTAMPTZ,
    reason      TEXT,
    peer_rgb    REAL[],
    peer_signature TEXT,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (job_id, frame, tile, attempt)
);
CREATE INDEX peer_checks_waiting ON peer_checks (id) WHERE state IN ('OPEN', 'ISSUED');
CREATE INDEX peer_checks_agreed ON peer_checks (job_id, frame, class_id) WHERE state = 'PASSED';

-- Peers a check may not go to again (they lied on it, or let it lapse).
CREATE TABLE peer_check_exclusions (
    check_id  BIGINT NOT NULL REFERENCES peer_checks (id),
    worker_id TEXT   NOT NULL,
    PRIMARY KEY (check_id, worker_id)
);

-- Exactly once: a check pays its peer's fee at most once and slashes a lying peer at most once per peer.
CREATE TABLE peer_check_postings (
    check_id  BIGINT      NOT NULL REFERENCES peer_checks (id),
    kind      TEXT        NOT NULL CHECK (kind IN ('FEE', 'SLASH')),
    worker_id TEXT        NOT NULL,
    job_id    TEXT        NOT NULL,
    amount    BIGINT      NOT NULL,
    entry_id  BIGINT      NOT NULL REFERENCES ledger_entries (id),
    posted_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (check_id, kind, worker_id)
);
CREATE INDEX peer_check_postings_job ON peer_check_postings (job_id);

ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_kind_check;
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_kind_check
    CHECK (kind IN ('MINT', 'ESCROW', 'TILE_PAYMENT', 'REFUND', 'SLASH', 'VERIFICATION_FEE'));
CREATE UNIQUE INDEX peer_check_postings_one_fee ON peer_check_postings (check_id) WHERE kind = 'FEE';
