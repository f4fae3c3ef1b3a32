ALTER TABLE library_items DROP COLUMN origin;
