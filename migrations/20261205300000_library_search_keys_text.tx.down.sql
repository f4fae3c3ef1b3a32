ALTER TABLE library_search DROP COLUMN keys_text;
DROP FUNCTION library_keys_text(integer[]);
