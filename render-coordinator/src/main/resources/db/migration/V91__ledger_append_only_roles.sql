-- Ledger rows are append-only for every role the coordinator may use (docs/DEPLOYMENT.md lists the
-- grants): row triggers (V2) already refuse UPDATE and DELETE of postings and sealed entries; these
-- refuse TRUNCATE, which row triggers do not see, and no privilege to change them is left to PUBLIC.
CREATE FUNCTION ledger_never_truncated() RETURNS TRIGGER AS $$
BEGIN
    RAISE EXCEPTION 'ledger table % is append-only: it is never truncated', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER ledger_entries_no_truncate BEFORE TRUNCATE ON ledger_entries
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_never_truncated();
CREATE TRIGGER ledger_postings_no_truncate BEFORE TRUNCATE ON ledger_postings
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_never_truncated();
CREATE TRIGGER tile_payments_no_truncate BEFORE TRUNCATE ON tile_payments
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_never_truncated();

-- A cached balance changes only through a posting (the ledger_postings_apply trigger runs one level
-- down): a direct UPDATE of accounts, or a DELETE, is refused whatever the role's privileges.
CREATE FUNCTION accounts_change_only_by_postings() RETURNS TRIGGER AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'ledger account % is never deleted', OLD.id;
    END IF;
    IF pg_trigger_depth() < 2 THEN
        RAISE EXCEPTION 'the balance of ledger account % changes only through postings', OLD.id;
    END IF;
    IF NEW.id IS DISTINCT FROM OLD.id OR NEW.created_at IS DISTINCT FROM OLD.created_at THEN
        RAISE EXCEPTION 'ledger account % keeps its name and creation time', OLD.id;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER accounts_balance_from_postings BEFORE UPDATE OR DELETE ON accounts
    FOR EACH ROW EXECUTE FUNCTION accounts_change_only_by_postings();
CREATE TRIGGER accounts_no_truncate BEFORE TRUNCATE ON accounts
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_never_truncated();

REVOKE UPDATE, DELETE, TRUNCATE ON ledger_entries, ledger_postings, tile_payments, tile_slashes, accounts FROM PUBLIC;
