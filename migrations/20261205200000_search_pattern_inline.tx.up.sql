-- Issue 11: accounts_search_pattern (20261202130000) is a SQL function
-- with a FROM clause, which PostgreSQL cannot inline: each search planned
-- it afresh (parse, plan and run its body to fold the constant), about
-- 75 µs of the user search's 125 µs of planning on the scale database.
-- The same tiling as one regexp_replace is a plain expression, inlined and
-- folded at a fraction of that: each word's characters taken three at a
-- time from its start, each run of three followed by '%', every other
-- character (a word's last one or two, what is not a letter or digit)
-- giving a '%'. "simoes arau" gives "%sim%oes%%ara%%" where the old body
-- gave "%sim%oes%ara%": runs of '%' match as one, and the trigrams the
-- index is asked with are the same (both compared on every user,
-- certificate and course title of the scale database).
CREATE OR REPLACE FUNCTION accounts_search_pattern(folded text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT '%' || regexp_replace(folded, '([[:alnum:]]{3})|.', '\1%', 'g') $$;
