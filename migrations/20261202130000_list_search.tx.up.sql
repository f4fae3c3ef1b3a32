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
--
-- The index is asked with fewer trigrams than the query has: GIN reads the
-- whole posting list of every trigram it is given, and a query's trigrams
-- include the most common ones (a name's "es ", "  n"), so "magalhaes
-- nunez" (13 trigrams) cost 6.6 ms in the index though it keeps 379
-- candidates. accounts_search_pattern tiles each word of the folded query
-- into trigrams that do not overlap ("%mag%alh%aes%nun%": 4), a pattern
-- that every text holding the query also matches, as selective in
-- practice (the same 379 candidates, in 2.2 ms); the query itself is then
-- checked on each candidate with strpos (plain text, and no LIKE escaping:
-- what the admin typed is matched as text).
CREATE FUNCTION accounts_search_pattern(folded text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT '%' || coalesce(string_agg(substr(t.w, 3 * g + 1, 3), '%' ORDER BY t.n, g), '') || '%'
        FROM regexp_split_to_table(folded, '[^[:alnum:]]+') WITH ORDINALITY AS t (w, n),
            generate_series(0, length(t.w) / 3 - 1) AS g $$;

ALTER TABLE users ADD COLUMN search text GENERATED ALWAYS AS (accounts_fold(name || ' ' || email)) STORED;
CREATE INDEX users_search_text_idx ON users USING gin (search gin_trgm_ops);
DROP INDEX users_search_idx;

ALTER TABLE certificates ADD COLUMN search text
    GENERATED ALWAYS AS (accounts_fold(holder_name || ' ' || course_title)) STORED;
CREATE INDEX certificates_search_text_idx ON certificates USING gin (search gin_trgm_ops);
DROP INDEX certificates_search_idx;
