-- People and scripts who use the farm. The ledger's "accounts" table holds balances; this one holds
-- who may act: a user NAME owns the ledger account artist:NAME. Operators may use farm-wide endpoints.
CREATE TABLE farm_accounts (
    name           TEXT PRIMARY KEY,
    password_hash  TEXT,          -- NULL: no password login (the bootstrap operator uses an API token)
    operator       BOOLEAN     NOT NULL DEFAULT FALSE,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Browser sessions; only the SHA-256 of the cookie's value is kept.
CREATE TABLE account_sessions (
    id_hash     TEXT PRIMARY KEY,
    account     TEXT        NOT NULL REFERENCES farm_accounts (name),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX account_sessions_expiry ON account_sessions (expires_at);

-- API tokens for scripts and workers; only the SHA-256 of the token is kept, the token is shown once.
CREATE TABLE api_tokens (
    id            BIGSERIAL PRIMARY KEY,
    account       TEXT        NOT NULL REFERENCES farm_accounts (name),
    name          TEXT        NOT NULL,
    token_hash    TEXT        NOT NULL UNIQUE,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_used_at  TIMESTAMPTZ,
    revoked_at    TIMESTAMPTZ
);
CREATE INDEX api_tokens_account ON api_tokens (account, id);

-- Scenes are stored once by content digest; each account that uploaded the bytes owns its own claim.
CREATE TABLE scene_owners (
    account      TEXT        NOT NULL,
    digest       TEXT        NOT NULL REFERENCES scenes (digest),
    uploaded_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (account, digest)
);

-- A worker id belongs to the account (the GPU owner) that registered it first.
CREATE TABLE worker_owners (
    worker_id      TEXT PRIMARY KEY,
    account        TEXT        NOT NULL,
    registered_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Scenes used by jobs before accounts existed belong to the accounts that used them.
INSERT INTO scene_owners (account, digest)
SELECT DISTINCT substring(account FROM 8), scene_digest FROM jobs WHERE account LIKE 'artist:%'
ON CONFLICT DO NOTHING;
