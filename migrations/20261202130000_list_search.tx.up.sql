-- Issue 11: the admins' user and certificate searches at 100,000 learners.

-- The searches matched LIKE '%…%' on accounts_fold(…) through trigram
-- indexes over the same expression, and rechecked every candidate row by
-- folding its text again: unaccent() costs ~8 µs a row, so a common name
-- (11,000 candidate certificates) took 95 ms to recheck, and the count of
-- a page read the candidates a second time. The folded text is now kept in
-- a generated column (written with the row, whichever path writes it, the
-- seeder's too), the trigram index is over the column, and the recheck
-- compares plain text. accounts_fold is IMMUTABLE (20261201130000), as a
-- generated column needs.
ALTER TABLE users ADD COLUMN search text GENERATED ALWAYS AS (accounts_fold(name || ' ' || email)) STORED;
CREATE INDEX users_search_text_idx ON users USING gin (search gin_trgm_ops);
DROP INDEX users_search_idx;

ALTER TABLE certificates ADD COLUMN search text
    GENERATED ALWAYS AS (accounts_fold(holder_name || ' ' || course_title)) STORED;
CREATE INDEX certificates_search_text_idx ON certificates USING gin (search gin_trgm_ops);
DROP INDEX certificates_search_idx;
