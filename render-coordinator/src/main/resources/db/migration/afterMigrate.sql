-- After every migration, run as the schema owner: the coordinator's login (${app_role}) may read and
-- write rows, but only read and add to the ledger and to the records of payments and slashes, and it
-- never touches the migration history. Skipped where the app and the owner are one login.
DO $$
DECLARE
    app TEXT := '${app_role}';
    append_only TEXT[] := ARRAY['ledger_entries', 'ledger_postings', 'tile_payments', 'tile_slashes', 'peer_check_postings'];
    t TEXT;
BEGIN
    IF app = current_user OR NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = app) THEN
        RETURN;
    END IF;
    -- replicas starting together would otherwise race on the same grants ("tuple concurrently updated")
    PERFORM pg_advisory_xact_lock(hashtext('render-farm grants'));
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', current_schema(), app);
    EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA %I FROM %I', current_schema(), app);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO %I', current_schema(), app);
    EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I TO %I', current_schema(), app);
    FOREACH t IN ARRAY append_only LOOP
        IF to_regclass(t) IS NOT NULL THEN
            EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON %I FROM %I', t, app);
        END IF;
    END LOOP;
    IF to_regclass('flyway_schema_history') IS NOT NULL THEN
        EXECUTE format('REVOKE ALL ON flyway_schema_history FROM %I', app);
    END IF;
END $$;
