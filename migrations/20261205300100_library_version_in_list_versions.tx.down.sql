CREATE TABLE library_search_version (
    one  boolean PRIMARY KEY DEFAULT true CHECK (one),
    n    bigint NOT NULL,
    xact xid8 NOT NULL
);
-- The version goes back where it was (this transaction as the last to
-- raise it: the next change raises it again).
INSERT INTO library_search_version (n, xact)
SELECT version, pg_current_xact_id() FROM list_versions WHERE name = 'library_search';

CREATE FUNCTION library_search_version_raise_now() RETURNS void LANGUAGE sql AS $$
    INSERT INTO library_search_version AS v (n, xact) VALUES (1, pg_current_xact_id())
    ON CONFLICT (one) DO UPDATE SET n = v.n + 1, xact = EXCLUDED.xact WHERE v.xact <> EXCLUDED.xact;
$$;
CREATE FUNCTION library_search_version_raise() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM library_search_version_raise_now();
    RETURN NULL;
END $$;
DROP TRIGGER library_search_list_version ON library_search;
CREATE TRIGGER library_search_version_raise
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON library_search
    FOR EACH STATEMENT EXECUTE FUNCTION library_search_version_raise();

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

DELETE FROM list_versions WHERE name = 'library_search';
CREATE OR REPLACE FUNCTION list_versions_bump() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    INSERT INTO list_versions AS v (name, version) VALUES (TG_ARGV[0], 1)
        ON CONFLICT (name) DO UPDATE SET version = v.version + 1;
    RETURN NULL;
END $$;
DROP FUNCTION list_versions_raise(text, boolean);
