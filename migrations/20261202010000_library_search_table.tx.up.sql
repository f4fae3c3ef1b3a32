-- Search and facets within 50 ms over 100,000 items (issue 16). A search
-- reads library_search, a narrow copy of what searching needs of each
-- published item, kept by a trigger in the transaction of every change:
-- about 300 bytes a row (the search vector most of it; a PDF's large
-- vector lives out of line) against about 750 in library_items, so
-- walking the date order or counting facets touches a quarter of the
-- pages, and they stay in the buffer cache.
--
-- keys are an item's facet values as integers, one GIN-indexed array, so
-- that any combination of filters is one index condition (keys @> …) and
-- counting the facets of a search is one unnest of small integers:
--   type       100 + its place in the list below (publication 101 … link 107)
--   language  1000 + 26 × letter + letter (ISO 639-1, a = 0: "pt" 1409)
--   country   2000 + 26 × letter + letter (ISO 3166-1 alpha-2, A = 0: "BR" 2043)
--   year     10000 + year
--   theme  1000000 + the theme's id
-- library.searchKeys writes the same numbers for a search's filters.
CREATE FUNCTION library_search_keys(type text, year integer, countries text[], themes bigint[], languages text[])
    RETURNS integer[] LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN ARRAY[100 + array_position(ARRAY['publication', 'experience', 'legislation', 'report', 'presentation', 'dataset', 'link'], type),
                 10000 + year]
        || ARRAY(SELECT 1000 + (ascii(l) - 97) * 26 + ascii(substr(l, 2)) - 97 FROM unnest(languages) l)
        || ARRAY(SELECT 2000 + (ascii(c) - 65) * 26 + ascii(substr(c, 2)) - 65 FROM unnest(countries) c)
        || ARRAY(SELECT 1000000 + t::integer FROM unnest(themes) t);

CREATE TABLE library_search (
    item_id        bigint PRIMARY KEY REFERENCES library_items (id) ON DELETE CASCADE,
    in_portuguese  boolean NOT NULL,
    sort_date      date NOT NULL,
    keys           integer[] NOT NULL,
    search         tsvector NOT NULL
);
-- Written newest first: walking the date order then reads consecutive
-- pages (5 times faster than one page per row at 100,000 items). Items
-- published later go to the end, mostly the newest: the order holds as
-- long as the library grows by new publications.
INSERT INTO library_search (item_id, in_portuguese, sort_date, keys, search)
SELECT id, in_portuguese, sort_date, library_search_keys(type, year, countries, themes, languages), search
FROM library_items WHERE status = 'published'
ORDER BY sort_date DESC, id DESC;
-- The indexes after the rows: built once, several times faster than kept
-- row by row.
-- Newest first, with and without Portuguese first; a year range is a
-- range of sort_date. fastupdate off as for courses: a new item goes
-- straight into the index, not into a list every search scans.
CREATE INDEX library_search_date_idx ON library_search (sort_date DESC, item_id DESC);
CREATE INDEX library_search_pt_date_idx ON library_search (in_portuguese DESC, sort_date DESC, item_id DESC);
CREATE INDEX library_search_search_idx ON library_search USING gin (search) WITH (fastupdate = off);
CREATE INDEX library_search_keys_idx ON library_search USING gin (keys) WITH (fastupdate = off);

CREATE FUNCTION library_search_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status = 'published' THEN
        INSERT INTO library_search (item_id, in_portuguese, sort_date, keys, search)
        VALUES (NEW.id, NEW.in_portuguese, NEW.sort_date,
                library_search_keys(NEW.type, NEW.year, NEW.countries, NEW.themes, NEW.languages), NEW.search)
        ON CONFLICT (item_id) DO UPDATE SET in_portuguese = EXCLUDED.in_portuguese, sort_date = EXCLUDED.sort_date,
            keys = EXCLUDED.keys, search = EXCLUDED.search;
    ELSIF TG_OP = 'UPDATE' AND OLD.status = 'published' THEN
        DELETE FROM library_search WHERE item_id = NEW.id;
    END IF;
    RETURN NULL;
END $$;
-- Deleting an item deletes its row by the foreign key.
CREATE TRIGGER library_search_keep
    AFTER INSERT OR UPDATE OF status, type, year, date, countries, themes, languages, search ON library_items
    FOR EACH ROW EXECUTE FUNCTION library_search_keep();

-- Statistics at once: the first searches after the upgrade are planned
-- with them.
ANALYZE library_search;

-- What searching used on library_items: library_search answers it now.
DROP INDEX library_items_search_idx, library_items_countries_idx, library_items_themes_idx,
    library_items_languages_idx, library_items_date_idx, library_items_pt_date_idx;
ALTER TABLE library_items DROP COLUMN facet_keys;
DROP FUNCTION library_facet_keys(text, integer, text[], bigint[], text[]);
