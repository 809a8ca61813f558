-- Fair share between accounts: within a tier the dispatcher splits free places between the accounts that have
-- jobs waiting, in proportion to their weight (1 for an account without a row), and orders jobs by priority only
-- inside an account, so that one account's high priorities cannot starve another account's jobs.
CREATE TABLE account_shares (
    account  TEXT PRIMARY KEY,  -- the ledger account that owns jobs (jobs.account), e.g. artist:NAME
    weight   INTEGER NOT NULL CHECK (weight BETWEEN 1 AND 1000)
);
