-- Admins search certificates by a part of the holder's name or the
-- course's title, without accents or case, as they search users: a
-- trigram index over the folded text serves LIKE '%…%' on it, where
-- unaccent(…) ILIKE read every certificate. accounts_fold is the IMMUTABLE
-- unaccent wrapper of 20261201130000_user_search; the expression must stay
-- exactly the one certificates' store searches.
CREATE INDEX certificates_search_idx ON certificates
    USING gin (accounts_fold(holder_name || ' ' || course_title) gin_trgm_ops);
