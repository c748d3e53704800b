-- The read-only role for dashboards: SELECT on the views, nothing else (views read the tables with
-- their owner's rights). Roles belong to the whole cluster: create it when missing and when this user
-- may (a managed PostgreSQL's admin can create it by hand: docs/head-office.md).
-- Run after every `posdesk-hq migrate` (not a numbered migration), so creating the role by hand and
-- migrating again is enough, and views added later are granted too.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'posdesk_reader') THEN
        CREATE ROLE posdesk_reader NOLOGIN;
    END IF;
EXCEPTION
    WHEN insufficient_privilege THEN
        RAISE NOTICE 'posdesk_reader was not created (no CREATEROLE): create it by hand, then migrate again';
    WHEN duplicate_object OR unique_violation THEN
        NULL; -- created at the same moment by another migration on this cluster
END
$$;

DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'posdesk_reader') THEN
        GRANT USAGE ON SCHEMA posdesk TO posdesk_reader;
        EXECUTE (SELECT 'GRANT SELECT ON ' || string_agg(format('posdesk.%I', viewname), ', ')
                        || ' TO posdesk_reader'
                 FROM pg_views WHERE schemaname = 'posdesk' AND viewname LIKE 'v\_%');
    END IF;
END
$$;
