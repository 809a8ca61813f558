-- The coordinator's Ed25519 key: generated once by the first coordinator to start, shared by replicas.
CREATE TABLE coordinator_identity (
    id           SMALLINT PRIMARY KEY CHECK (id = 1),
    public_key   TEXT        NOT NULL,
    private_key  TEXT        NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Workers and the public keys their results are signed with; a key never changes for an id.
CREATE TABLE workers (
    id             TEXT PRIMARY KEY,
    public_key     TEXT        NOT NULL,
    registered_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Verdict evidence; failures that cannot be pinned on the named worker (bad signature, unreadable
-- tile) are kept but neither slash nor count against its reputation.
ALTER TABLE tile_attempts ADD COLUMN attributable BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE tile_attempts ADD COLUMN evidence JSONB;
CREATE INDEX tile_attempts_worker ON tile_attempts (worker_id, decided_at);

ALTER TABLE jobs DROP CONSTRAINT jobs_state_check;
ALTER TABLE jobs ADD CONSTRAINT jobs_state_check CHECK (state IN ('RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED'));

ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_kind_check;
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_kind_check
    CHECK (kind IN ('MINT', 'ESCROW', 'TILE_PAYMENT', 'REFUND', 'SLASH'));

-- Hash chain: each entry carries the previous entry's hash, its own hash and the coordinator's
-- signature (render-core farm.render.core.ledger.LedgerChain defines the bytes). Entries written
-- before this migration are sealed, in id order, by the first write after it.
ALTER TABLE ledger_entries ADD COLUMN prev_hash TEXT;
ALTER TABLE ledger_entries ADD COLUMN entry_hash TEXT UNIQUE;
ALTER TABLE ledger_entries ADD COLUMN signature TEXT;
CREATE INDEX ledger_entries_unsealed ON ledger_entries (id) WHERE entry_hash IS NULL;

-- The chain's head: every writer locks this row, so entries are chained one at a time, in id order.
CREATE TABLE ledger_head (
    id          SMALLINT PRIMARY KEY CHECK (id = 1),
    last_entry  BIGINT REFERENCES ledger_entries (id),
    last_hash   TEXT NOT NULL
);
INSERT INTO ledger_head (id, last_entry, last_hash) VALUES (1, NULL, repeat('0', 64));

-- Ledger entries are append-only.
CREATE FUNCTION ledger_append_only() RETURNS TRIGGER AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'ledger rows are never deleted';
    END IF;
    IF TG_TABLE_NAME = 'ledger_postings' THEN
        RAISE EXCEPTION 'ledger postings are never changed';
    END IF;
    IF OLD.entry_hash IS NOT NULL THEN
        RAISE EXCEPTION 'sealed ledger entry % is never changed', OLD.id;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries
    FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
CREATE TRIGGER ledger_postings_append_only BEFORE UPDATE OR DELETE ON ledger_postings
    FOR EACH ROW EXECUTE FUNCTION ledger_append_only();

-- Exactly once: an attempt's failure slashes at most once.
CREATE TABLE tile_slashes (
    job_id     TEXT    NOT NULL,
    frame      INTEGER NOT NULL,
    tile       INTEGER NOT NULL,
    attempt    INTEGER NOT NULL,
    worker_id  TEXT    NOT NULL,
    amount     BIGINT  NOT NULL CHECK (amount > 0),
    entry_id   BIGINT  NOT NULL REFERENCES ledger_entries (id),
    PRIMARY KEY (job_id, frame, tile, attempt)
);

-- No balance but the mint's below zero: each account row keeps the sum of its postings, kept by
-- the database itself on every posting, under a CHECK constraint.
ALTER TABLE accounts ADD COLUMN balance BIGINT NOT NULL DEFAULT 0;
UPDATE accounts a SET balance = COALESCE((SELECT SUM(amount) FROM ledger_postings p WHERE p.account = a.id), 0);
ALTER TABLE accounts ADD CONSTRAINT accounts_not_negative CHECK (id = 'mint' OR balance >= 0);

CREATE FUNCTION ledger_posting_applies() RETURNS TRIGGER AS $$
BEGIN
    UPDATE accounts SET balance = balance + NEW.amount WHERE id = NEW.account;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER ledger_postings_apply AFTER INSERT ON ledger_postings
    FOR EACH ROW EXECUTE FUNCTION ledger_posting_applies();
