CREATE OR REPLACE FUNCTION library_search_rebuild() RETURNS bigint LANGUAGE sql AS $$
    DELETE FROM library_search;
    WITH w AS (
        INSERT INTO library_search (item_id, in_portuguese, sort_date, keys, search)
            SELECT id, in_portuguese, sort_date, library_search_keys(type, year, countries, themes, languages), search
            FROM library_items WHERE status = 'published'
            ORDER BY sort_date DESC, id DESC
            RETURNING 1)
    SELECT count(*) FROM w;
$$;
DROP TRIGGER library_search_version_raise ON library_search;
DROP FUNCTION library_search_version_raise();
DROP FUNCTION library_search_version_raise_now();
DROP TABLE library_search_version;
