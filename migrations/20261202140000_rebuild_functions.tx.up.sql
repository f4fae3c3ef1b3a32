-- Recounts of the tables that triggers keep, for whatever writes rows
-- with the triggers off (the scale seeder, the benchmarks' fixtures, a
-- restore with --disable-triggers), so each recount is written once, here,
-- instead of copied into every seeder. Each is the backfill its table's
-- migration ran (those stay as they landed). Each returns the rows it
-- wrote, for a seeder's report.

-- library_facet_counts from the published items (the backfill of
-- 20261201230100_library_facet_counts).
CREATE FUNCTION library_facet_counts_rebuild() RETURNS bigint LANGUAGE sql AS $$
    DELETE FROM library_facet_counts;
    WITH w AS (
        INSERT INTO library_facet_counts (facet, value, count)
            SELECT f.facet, f.value, count(*)
            FROM library_items i,
                 LATERAL (SELECT 'type', i.type UNION ALL SELECT 'year', i.year::text
                          UNION ALL SELECT 'country', x FROM unnest(i.countries) x
                          UNION ALL SELECT 'theme', x::text FROM unnest(i.themes) x
                          UNION ALL SELECT 'language', x FROM unnest(i.languages) x) f(facet, value)
            WHERE i.status = 'published'
            GROUP BY f.facet, f.value
            RETURNING 1)
    SELECT count(*) FROM w;
$$;

-- library_search from the published items, written newest first so that
-- walking the date order reads consecutive pages (the backfill of
-- 20261202010000_library_search_table).
CREATE FUNCTION library_search_rebuild() RETURNS bigint LANGUAGE sql AS $$
    DELETE FROM library_search;
    WITH w AS (
        INSERT INTO library_search (item_id, in_portuguese, sort_date, keys, search)
            SELECT id, in_portuguese, sort_date, library_search_keys(type, year, countries, themes, languages), search
            FROM library_items WHERE status = 'published'
            ORDER BY sort_date DESC, id DESC
            RETURNING 1)
    SELECT count(*) FROM w;
$$;

-- quiz_answer_counts from the submitted attempts, each attempt in its own
-- shard as assessment_count_attempt counts it (the backfill of
-- 20261201350000_scale_queries, with 20261202040000's shards).
CREATE FUNCTION quiz_answer_counts_rebuild() RETURNS bigint LANGUAGE sql AS $$
    DELETE FROM quiz_answer_counts;
    WITH w AS (
        INSERT INTO quiz_answer_counts (quiz_id, passed, question_id, answer, score, shard, n)
            SELECT a.quiz_id, a.passed, k.question_id, k.answer, k.score, (a.id % 16)::smallint, count(*)
            FROM attempts AS a CROSS JOIN LATERAL assessment_slots(a.layout, a.answers, a.scores) AS k
            WHERE a.submitted_at IS NOT NULL
            GROUP BY 1, 2, 3, 4, 5, 6
            RETURNING 1)
    SELECT count(*) FROM w;
$$;

-- report_attribution for each fact the reports count that has none yet,
-- to its person's institution now (the backfill of
-- 20261201380000_report_daily). Not a recount: an attribution is history
-- (where the fact counted when it happened), so one already recorded
-- stays; report_daily_rebuild then records completions' hours.
CREATE FUNCTION report_attribute_missing() RETURNS bigint LANGUAGE sql AS $$
    WITH w AS (
        INSERT INTO report_attribution (kind, fact_id, institution_id)
            SELECT 'e', e.id, coalesce(u.institution_id, 0) FROM enrolments AS e JOIN users AS u ON u.id = e.user_id
                WHERE e.status IN ('active', 'completed')
            UNION ALL
            SELECT 'c', e.id, coalesce(u.institution_id, 0) FROM enrolments AS e JOIN users AS u ON u.id = e.user_id
                WHERE e.status = 'completed'
            UNION ALL
            SELECT 'k', c.id, coalesce(u.institution_id, 0) FROM certificates AS c JOIN users AS u ON u.id = c.user_id
                WHERE c.revoked_at IS NULL
            ON CONFLICT (kind, fact_id) DO NOTHING
            RETURNING 1)
    SELECT count(*) FROM w;
$$;
