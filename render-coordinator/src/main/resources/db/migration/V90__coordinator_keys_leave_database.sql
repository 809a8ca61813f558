-- The coordinator's signing keys live in key files (farm.identity.key-dir), never in the database:
-- whoever could read or edit rows could otherwise sign tasks and re-sign the whole ledger. A key that
-- an earlier version stored here is dropped with its table and never used again.
DROP TABLE IF EXISTS coordinator_identity;
