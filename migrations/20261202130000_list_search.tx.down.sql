CREATE INDEX certificates_search_idx ON certificates
    USING gin (accounts_fold(holder_name || ' ' || course_title) gin_trgm_ops);
DROP INDEX certificates_search_text_idx;
ALTER TABLE certificates DROP COLUMN search;

CREATE INDEX users_search_idx ON users USING gin (accounts_fold(name || ' ' || email) gin_trgm_ops);
DROP INDEX users_search_text_idx;
ALTER TABLE users DROP COLUMN search;

DROP FUNCTION accounts_search_pattern(text);
