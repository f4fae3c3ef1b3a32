CREATE OR REPLACE FUNCTION assessment_count_attempt(a attempts, sign integer) RETURNS void
    LANGUAGE sql
    AS $$ INSERT INTO quiz_answer_counts AS c (quiz_id, passed, question_id, answer, score, n)
        SELECT a.quiz_id, a.passed, k.question_id, k.answer, k.score, sign * count(*)
        FROM assessment_slots(a.layout, a.answers, a.scores) AS k
        GROUP BY k.question_id, k.answer, k.score
        ORDER BY k.question_id, k.answer, k.score
        ON CONFLICT (quiz_id, passed, question_id, answer, score) DO UPDATE SET n = c.n + excluded.n $$;

-- The shards folded back into one row each.
CREATE TEMPORARY TABLE quiz_answer_counts_folded ON COMMIT DROP AS
    SELECT quiz_id, passed, question_id, answer, score, sum(n)::bigint AS n
    FROM quiz_answer_counts GROUP BY 1, 2, 3, 4, 5;
DELETE FROM quiz_answer_counts;
ALTER TABLE quiz_answer_counts DROP CONSTRAINT quiz_answer_counts_pkey;
ALTER TABLE quiz_answer_counts DROP COLUMN shard;
ALTER TABLE quiz_answer_counts ADD PRIMARY KEY (quiz_id, passed, question_id, answer, score);
INSERT INTO quiz_answer_counts (quiz_id, passed, question_id, answer, score, n)
    SELECT quiz_id, passed, question_id, answer, score, n FROM quiz_answer_counts_folded;
