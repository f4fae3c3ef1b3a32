DROP FUNCTION library_tsquery(text);
CREATE FUNCTION library_tsquery(q text) RETURNS tsquery
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN to_tsquery('aula_pt', library_pt_singular(q)) || to_tsquery('aula_es', q)
        || to_tsquery('aula_en', q) || to_tsquery('aula_search', q);
