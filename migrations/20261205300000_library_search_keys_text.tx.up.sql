-- Issue 16: a search counts the facets of its first 2,001 matches from one
-- text of their keys (library.countKeys), which the statement made with
-- string_agg(array_to_string(keys, ','), ';'): writing 10,000 integers as
-- text on every search cost about 0.9 ms of the backend's CPU (at 100,000
-- items, «proteção social» with year bounds, 3.9 → 3.0 ms), more than
-- reading the rows. keys_text is that text, written once with the row; a
-- search only joins the rows' texts. Generated, so the trigger of
-- library_items and library_search_rebuild (the seeder) write it as they
-- write keys.
--
-- array_to_string is only STABLE (an element type's output may depend on
-- settings); an integer's text depends on none, so this one is IMMUTABLE,
-- as a generated column needs.
CREATE FUNCTION library_keys_text(keys integer[]) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN array_to_string(keys, ',');

-- Rewrites the table in its physical order (newest first, which walking
-- the date order relies on) and its indexes: about 3 s at 100,000 items.
ALTER TABLE library_search ADD COLUMN keys_text text GENERATED ALWAYS AS (library_keys_text(keys)) STORED;
