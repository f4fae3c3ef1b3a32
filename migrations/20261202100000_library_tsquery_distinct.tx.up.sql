-- A search's query is the reader's words in every language at once, one
-- query per text search configuration ORed together (migration
-- 20261201230000). Two configurations often stem a word alike: aula_es
-- and aula_en both make «proteção» 'proteca', aula_pt and aula_search
-- 'protecao', so «proteção social» was
--   'proteca' & 'social' | 'proteca' & 'social' | 'protecao' & 'social' | 'protecao' & 'social'
-- and every row a search walks evaluated each twice. Walking the date
-- order past 7,400 items that do not match, at 100,000 items, cost 5.5 ms
-- of CPU with the four, 4.2 ms with the two distinct ones. Same matches
-- and ranks: ts_rank counts each distinct word of the query once, but it
-- picks its formula by the query's top operator, OR (how often the words
-- appear) or AND (how close they are). So when every language made the
-- same query («pension reform»: 'pension' & 'reform' four times) it is
-- still ORed, with itself, as the four were: otherwise the ranks, and
-- the relevance order, would change.
-- plpgsql, still IMMUTABLE: the planner computes it once per statement
-- from the constant it is given, as it did the SQL function.
CREATE OR REPLACE FUNCTION library_tsquery(q text) RETURNS tsquery
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    part tsquery;
    seen text[] := '{}';
    made integer := 0;
    result tsquery;
BEGIN
    FOREACH part IN ARRAY ARRAY[to_tsquery('aula_pt', library_pt_singular(q)), to_tsquery('aula_es', q),
                                to_tsquery('aula_en', q), to_tsquery('aula_search', q)] LOOP
        IF numnode(part) > 0 THEN
            made := made + 1;
        END IF;
        IF numnode(part) > 0 AND NOT part::text = ANY (seen) THEN
            result := CASE WHEN result IS NULL THEN part ELSE result || part END;
            seen := seen || part::text;
        END IF;
    END LOOP;
    IF made > 1 AND cardinality(seen) = 1 THEN
        RETURN result || result;
    END IF;
    -- No lexeme in any language (only stop words): the empty query, which
    -- matches nothing, as before.
    RETURN coalesce(result, part);
END $$;
