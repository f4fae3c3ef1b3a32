CREATE OR REPLACE FUNCTION accounts_search_pattern(folded text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT '%' || coalesce(string_agg(substr(t.w, 3 * g + 1, 3), '%' ORDER BY t.n, g), '') || '%'
        FROM regexp_split_to_table(folded, '[^[:alnum:]]+') WITH ORDINALITY AS t (w, n),
            generate_series(0, length(t.w) / 3 - 1) AS g $$;
