-- Every submit of a quiz added its answers to the same few
-- quiz_answer_counts rows (the learners who answer alike share them), so
-- concurrent submits of one quiz waited for each other's row locks until
-- each committed, its WAL flush included: one submit at a time per quiz,
-- whatever the number of cores, and no group commit among them. The
-- counts are split over 16 shards, an attempt's by its id, so submits of
-- one quiz mostly touch different rows; readers already sum n over the
-- rows of a question, answer and score (assessment.Store.answerCounts).
-- An attempt always counts in its own shard, so a regrade takes away and
-- adds in the same rows, and two submits sharing a shard still lock its
-- rows in key order.
ALTER TABLE quiz_answer_counts ADD COLUMN shard smallint NOT NULL DEFAULT 0;
ALTER TABLE quiz_answer_counts DROP CONSTRAINT quiz_answer_counts_pkey,
    ADD PRIMARY KEY (quiz_id, passed, question_id, answer, score, shard);

-- PL/pgSQL rather than SQL: PostgreSQL 15 plans a SQL function's body on
-- every call, a PL/pgSQL one once per connection, and a submit called it
-- every time.
CREATE OR REPLACE FUNCTION assessment_count_attempt(a attempts, sign integer) RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
    INSERT INTO quiz_answer_counts AS c (quiz_id, passed, question_id, answer, score, shard, n)
    SELECT a.quiz_id, a.passed, k.question_id, k.answer, k.score, (a.id % 16)::smallint, sign * count(*)
    FROM assessment_slots(a.layout, a.answers, a.scores) AS k
    GROUP BY k.question_id, k.answer, k.score
    ORDER BY k.question_id, k.answer, k.score
    ON CONFLICT (quiz_id, passed, question_id, answer, score, shard) DO UPDATE SET n = c.n + excluded.n;
END $$;
