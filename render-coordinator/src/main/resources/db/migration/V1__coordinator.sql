-- Scenes: one row per distinct upload (by SHA-256 of the source bytes).
CREATE TABLE scenes (
    digest          TEXT PRIMARY KEY,
    filename        TEXT        NOT NULL,
    extension       TEXT        NOT NULL,
    source_bytes    BIGINT      NOT NULL,
    triangles       INTEGER     NOT NULL,
    materials       INTEGER     NOT NULL,
    unsupported     TEXT[]      NOT NULL,
    package_digest  TEXT        NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE jobs (
    id            TEXT PRIMARY KEY,
    account       TEXT        NOT NULL,
    scene_digest  TEXT        NOT NULL REFERENCES scenes (digest),
    frame_start   INTEGER     NOT NULL,
    frame_end     INTEGER     NOT NULL,
    width         INTEGER     NOT NULL,
    height        INTEGER     NOT NULL,
    spp           INTEGER     NOT NULL,
    max_bounces   INTEGER     NOT NULL,
    tile_size     INTEGER     NOT NULL,
    seed          BIGINT      NOT NULL,
    tier          TEXT        NOT NULL,
    quote         BIGINT      NOT NULL,
    state         TEXT        NOT NULL CHECK (state IN ('RUNNING', 'COMPLETED', 'FAILED')),
    failure       TEXT,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    finished_at   TIMESTAMPTZ,
    CHECK (frame_end >= frame_start)
);

CREATE TABLE frames (
    job_id      TEXT        NOT NULL REFERENCES jobs (id),
    frame       INTEGER     NOT NULL,
    done        BOOLEAN     NOT NULL DEFAULT FALSE,
    done_at     TIMESTAMPTZ,
    PRIMARY KEY (job_id, frame)
);

-- One row per frame × tile; attempt is the attempt now in flight (or the verified one).
CREATE TABLE tiles (
    job_id      TEXT        NOT NULL,
    frame       INTEGER     NOT NULL,
    tile        INTEGER     NOT NULL,
    x           INTEGER     NOT NULL,
    y           INTEGER     NOT NULL,
    width       INTEGER     NOT NULL,
    height      INTEGER     NOT NULL,
    attempt     INTEGER     NOT NULL DEFAULT 1,
    state       TEXT        NOT NULL DEFAULT 'QUEUED' CHECK (state IN ('QUEUED', 'VERIFIED', 'FAILED')),
    worker_id   TEXT,
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (job_id, frame, tile),
    FOREIGN KEY (job_id, frame) REFERENCES frames (job_id, frame)
);

-- Every verdict that counted, pass or fail, per attempt.
CREATE TABLE tile_attempts (
    job_id             TEXT        NOT NULL,
    frame              INTEGER     NOT NULL,
    tile               INTEGER     NOT NULL,
    attempt            INTEGER     NOT NULL,
    worker_id          TEXT        NOT NULL,
    passed             BOOLEAN     NOT NULL,
    reason             TEXT        NOT NULL,
    pixels_checked     INTEGER     NOT NULL,
    pixels_mismatched  INTEGER     NOT NULL,
    decided_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (job_id, frame, tile, attempt),
    FOREIGN KEY (job_id, frame, tile) REFERENCES tiles (job_id, frame, tile)
);

-- Ledger: double entry. Balances are sums of postings; the accounts row is what writers lock.
CREATE TABLE accounts (
    id          TEXT PRIMARY KEY,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- One movement. The hash chain (previous entry hash) and the coordinator's Ed25519 signature
-- will be added as columns here by a later migration; nothing stands in for them yet.
CREATE TABLE ledger_entries (
    id          BIGSERIAL PRIMARY KEY,
    kind        TEXT        NOT NULL CHECK (kind IN ('MINT', 'ESCROW', 'TILE_PAYMENT', 'REFUND')),
    job_id      TEXT,
    memo        TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX ledger_entries_job ON ledger_entries (job_id);

CREATE TABLE ledger_postings (
    id          BIGSERIAL PRIMARY KEY,
    entry_id    BIGINT NOT NULL REFERENCES ledger_entries (id),
    account     TEXT   NOT NULL REFERENCES accounts (id),
    amount      BIGINT NOT NULL CHECK (amount <> 0)
);
CREATE INDEX ledger_postings_account ON ledger_postings (account);
CREATE INDEX ledger_postings_entry ON ledger_postings (entry_id);

-- The database itself refuses an entry whose postings do not sum to zero (checked at commit).
CREATE FUNCTION ledger_entry_balanced() RETURNS TRIGGER AS $$
DECLARE
    total NUMERIC;
BEGIN
    SELECT COALESCE(SUM(amount), 0) INTO total FROM ledger_postings WHERE entry_id = NEW.entry_id;
    IF total <> 0 THEN
        RAISE EXCEPTION 'ledger entry % is unbalanced by %', NEW.entry_id, total;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE CONSTRAINT TRIGGER ledger_postings_balanced
    AFTER INSERT OR UPDATE ON ledger_postings
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION ledger_entry_balanced();

-- Exactly once: a tile is paid at most once, whatever the bus redelivers.
CREATE TABLE tile_payments (
    job_id     TEXT    NOT NULL,
    frame      INTEGER NOT NULL,
    tile       INTEGER NOT NULL,
    attempt    INTEGER NOT NULL,
    worker_id  TEXT    NOT NULL,
    amount     BIGINT  NOT NULL,
    fee        BIGINT  NOT NULL,
    entry_id   BIGINT  NOT NULL REFERENCES ledger_entries (id),
    paid_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT tile_paid_once UNIQUE (job_id, frame, tile)
);

INSERT INTO accounts (id) VALUES ('mint'), ('fees');
