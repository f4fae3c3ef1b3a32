-- How many published items have each facet value, kept by a trigger in
-- the transaction of every change, so that the library's first page (no
-- search, no filter: most visits) reads a few dozen rows instead of
-- counting every item. Searches with words or filters count their
-- matches (library's store).
CREATE TABLE library_facet_counts (
    facet  text NOT NULL CHECK (facet IN ('type', 'year', 'country', 'theme', 'language')),
    value  text NOT NULL,
    -- No CHECK (count >= 0): an upsert checks the row it proposes, and
    -- the trigger proposes a decrement as a negative count.
    count  integer NOT NULL,
    PRIMARY KEY (facet, value)
);

CREATE FUNCTION library_facet_counts_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- One statement, its rows in key order: concurrent publishes lock the
    -- counters they share in the same order and cannot deadlock.
    INSERT INTO library_facet_counts AS c (facet, value, count)
    SELECT d.facet, d.value, sum(d.delta)
    FROM (
        SELECT f.facet, f.value, -1 AS delta
        FROM (SELECT OLD.*) o,
             LATERAL (SELECT 'type', o.type UNION ALL SELECT 'year', o.year::text
                      UNION ALL SELECT 'country', x FROM unnest(o.countries) x
                      UNION ALL SELECT 'theme', x::text FROM unnest(o.themes) x
                      UNION ALL SELECT 'language', x FROM unnest(o.languages) x) f(facet, value)
        WHERE TG_OP <> 'INSERT' AND o.status = 'published'
        UNION ALL
        SELECT f.facet, f.value, 1
        FROM (SELECT NEW.*) n,
             LATERAL (SELECT 'type', n.type UNION ALL SELECT 'year', n.year::text
                      UNION ALL SELECT 'country', x FROM unnest(n.countries) x
                      UNION ALL SELECT 'theme', x::text FROM unnest(n.themes) x
                      UNION ALL SELECT 'language', x FROM unnest(n.languages) x) f(facet, value)
        WHERE TG_OP <> 'DELETE' AND n.status = 'published'
    ) d
    GROUP BY d.facet, d.value
    HAVING sum(d.delta) <> 0
    ORDER BY d.facet, d.value
    ON CONFLICT (facet, value) DO UPDATE SET count = c.count + EXCLUDED.count;
    DELETE FROM library_facet_counts WHERE count = 0;
    RETURN NULL;
END $$;

CREATE TRIGGER library_facet_counts_keep
    AFTER INSERT OR DELETE OR UPDATE OF status, type, year, countries, themes, languages ON library_items
    FOR EACH ROW EXECUTE FUNCTION library_facet_counts_keep();

-- Items published before this migration.
INSERT INTO library_facet_counts (facet, value, count)
SELECT f.facet, f.value, count(*)
FROM library_items i,
     LATERAL (SELECT 'type', i.type UNION ALL SELECT 'year', i.year::text
              UNION ALL SELECT 'country', x FROM unnest(i.countries) x
              UNION ALL SELECT 'theme', x::text FROM unnest(i.themes) x
              UNION ALL SELECT 'language', x FROM unnest(i.languages) x) f(facet, value)
WHERE i.status = 'published'
GROUP BY f.facet, f.value;
