CREATE FUNCTION library_facet_keys(type text, year integer, countries text[], themes bigint[], languages text[])
    RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN ARRAY['type:' || type, 'year:' || year]
        || ARRAY(SELECT 'country:' || c FROM unnest(countries) c)
        || ARRAY(SELECT 'theme:' || t FROM unnest(themes) t)
        || ARRAY(SELECT 'language:' || l FROM unnest(languages) l);
ALTER TABLE library_items
    ADD COLUMN facet_keys text[] GENERATED ALWAYS AS (library_facet_keys(type, year, countries, themes, languages)) STORED;
CREATE INDEX library_items_search_idx ON library_items USING gin (search) WITH (fastupdate = off) WHERE status = 'published';
CREATE INDEX library_items_countries_idx ON library_items USING gin (countries) WHERE status = 'published';
CREATE INDEX library_items_themes_idx ON library_items USING gin (themes) WHERE status = 'published';
CREATE INDEX library_items_languages_idx ON library_items USING gin (languages) WHERE status = 'published';
CREATE INDEX library_items_date_idx ON library_items (sort_date DESC, id DESC) WHERE status = 'published';
CREATE INDEX library_items_pt_date_idx ON library_items (in_portuguese DESC, sort_date DESC, id DESC) WHERE status = 'published';
DROP TRIGGER library_search_keep ON library_items;
DROP FUNCTION library_search_keep();
DROP TABLE library_search;
DROP FUNCTION library_search_keys(text, integer, text[], bigint[], text[]);
