-- One versioning mechanism: the version of library_search (migration
-- 20261203100000, its own table library_search_version) becomes the row
-- 'library_search' of list_versions (migration 20261203120000), which the
-- lists kept by the processes (postgres.KeptList) already read. What the
-- library's version had of its own, a raise once per transaction (a
-- transaction changing many rows, one statement per item from the trigger
-- of library_items, raises it once and writes the row once), becomes an
-- option of list_versions_bump: its second argument 'once'.
--
-- Once per transaction is kept in a transaction-local setting rather than
-- a column: a raise rolled back with its savepoint rolls the setting back
-- too, and the next change raises again, as the transaction id kept in
-- library_search_version did; and the version table gains no data that a
-- rollback of this migration would have to drop.
CREATE FUNCTION list_versions_raise(list text, once boolean) RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF once THEN
        IF current_setting('aula.raised_' || list, true) = 'on' THEN
            RETURN;
        END IF;
        PERFORM set_config('aula.raised_' || list, 'on', true);
    END IF;
    INSERT INTO list_versions AS v (name, version) VALUES (list, 1)
        ON CONFLICT (name) DO UPDATE SET version = v.version + 1;
END $$;

CREATE OR REPLACE FUNCTION list_versions_bump() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    PERFORM list_versions_raise(TG_ARGV[0], coalesce(TG_ARGV[1] = 'once', false));
    RETURN NULL;
END $$;

-- The version goes on from where it was: a search a process kept stays
-- valid across the upgrade exactly while the library does not change.
INSERT INTO list_versions (name, version) SELECT 'library_search', n FROM library_search_version;

DROP TRIGGER library_search_version_raise ON library_search;
CREATE TRIGGER library_search_list_version
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON library_search
    FOR EACH STATEMENT EXECUTE FUNCTION list_versions_bump('library_search', 'once');

-- The rebuild runs with triggers off (session_replication_role = replica,
-- the seeder, a restore): it raises the version itself.
CREATE OR REPLACE FUNCTION library_search_rebuild() RETURNS bigint LANGUAGE sql AS $$
    SELECT list_versions_raise('library_search', true);
    DELETE FROM library_search;
    WITH w AS (
        INSERT INTO library_search (item_id, in_portuguese, sort_date, keys, search)
            SELECT id, in_portuguese, sort_date, library_search_keys(type, year, countries, themes, languages), search
            FROM library_items WHERE status = 'published'
            ORDER BY sort_date DESC, id DESC
            RETURNING 1)
    SELECT count(*) FROM w;
$$;

DROP FUNCTION library_search_version_raise();
DROP FUNCTION library_search_version_raise_now();
DROP TABLE library_search_version;
