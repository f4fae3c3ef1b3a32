-- The version of library_search, so that an aula serve process may keep a
-- search's count, facets and order (library.Service, searches_kept.go)
-- and know, in the statement that reads the page's items, whether they
-- still hold: n goes up in the transaction of every change to
-- library_search, so a search read at version n is what the same search
-- would read now while n is unchanged, whichever process made the change.
-- One row, written by the first change (none: version 0, an empty
-- library's, as a rollback of an installation without items finds no
-- data here); xact is the transaction that last raised n, so that a
-- transaction changing many rows (one statement per item, from the
-- trigger of library_items) raises it once and writes the row once.
CREATE TABLE library_search_version (
    one  boolean PRIMARY KEY DEFAULT true CHECK (one),
    n    bigint NOT NULL,
    xact xid8 NOT NULL
);

-- pg_current_xact_id() is the top transaction's id, also inside a
-- savepoint. A raise rolled back with its savepoint rolls back with the
-- change that made it, and the next change raises n again; a change after
-- a raise that stays needs none, as both commit together.
CREATE FUNCTION library_search_version_raise_now() RETURNS void LANGUAGE sql AS $$
    INSERT INTO library_search_version AS v (n, xact) VALUES (1, pg_current_xact_id())
    ON CONFLICT (one) DO UPDATE SET n = v.n + 1, xact = EXCLUDED.xact WHERE v.xact <> EXCLUDED.xact;
$$;
CREATE FUNCTION library_search_version_raise() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM library_search_version_raise_now();
    RETURN NULL;
END $$;
CREATE TRIGGER library_search_version_raise
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON library_search
    FOR EACH STATEMENT EXECUTE FUNCTION library_search_version_raise();

-- The rebuild runs with triggers off (session_replication_role = replica,
-- the seeder, a restore): it raises n itself.
CREATE OR REPLACE FUNCTION library_search_rebuild() RETURNS bigint LANGUAGE sql AS $$
    SELECT library_search_version_raise_now();
    DELETE FROM library_search;
    WITH w AS (
        INSERT INTO library_search (item_id, in_portuguese, sort_date, keys, search)
            SELECT id, in_portuguese, sort_date, library_search_keys(type, year, countries, themes, languages), search
            FROM library_items WHERE status = 'published'
            ORDER BY sort_date DESC, id DESC
            RETURNING 1)
    SELECT count(*) FROM w;
$$;
