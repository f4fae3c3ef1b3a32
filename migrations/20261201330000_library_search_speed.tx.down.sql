ALTER TABLE library_items DROP COLUMN facet_keys;
DROP FUNCTION library_facet_keys(text, integer, text[], bigint[], text[]);
