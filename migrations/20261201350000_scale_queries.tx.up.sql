-- Admins search certificates by a part of the holder's name or the
-- course's title, without accents or case, as they search users: a
-- trigram index over the folded text serves LIKE '%…%' on it, where
-- unaccent(…) ILIKE read every certificate. accounts_fold is the IMMUTABLE
-- unaccent wrapper of 20261201130000_user_search; the expression must stay
-- exactly the one certificates' store searches.
CREATE INDEX certificates_search_idx ON certificates
    USING gin (accounts_fold(holder_name || ' ' || course_title) gin_trgm_ops);

-- The admins' user list filtered by role, by name: without it a role few
-- users have (admins among 100,000 learners) read the whole table.
CREATE INDEX users_role_idx ON users (role, name, id);

-- A quiz's question statistics decoded every submitted attempt on every
-- view (50,000 attempts: seconds). quiz_answer_counts keeps, per quiz,
-- outcome, question, answer and score, how many submitted attempts gave
-- it; triggers keep it in step with attempts in the transaction that
-- submits, regrades or deletes one, whichever path writes. Answers are
-- kept as given, so the statistics still judge them against the question
-- as it is when read (it may have changed since); only a string is kept
-- as whether it fits a short_text answer (1,000 characters, Go's
-- MaxTextAnswerLen), since nothing else reads its text.
CREATE FUNCTION assessment_answer_key(answer jsonb) RETURNS jsonb
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT CASE WHEN answer IS NULL THEN 'null'::jsonb
        WHEN jsonb_typeof(answer) <> 'string' THEN answer
        WHEN char_length(answer #>> '{}') <= 1000 THEN '""'::jsonb
        ELSE '"too long"'::jsonb END $$;

-- The questions an attempt presented, each with its answer's key and score.
CREATE FUNCTION assessment_slots(layout jsonb, answers jsonb, scores jsonb)
    RETURNS TABLE (question_id bigint, answer jsonb, score double precision)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT (s.value ->> 'id')::bigint, assessment_answer_key(answers -> (s.value ->> 'id')),
        coalesce((scores ->> (s.value ->> 'id'))::float8, 0)
        FROM jsonb_array_elements(layout) AS s $$;

CREATE TABLE quiz_answer_counts (
    quiz_id      bigint NOT NULL REFERENCES quizzes (id) ON DELETE CASCADE,
    passed       boolean NOT NULL,
    question_id  bigint NOT NULL,
    answer       jsonb NOT NULL, -- assessment_answer_key; 'null' unanswered
    score        double precision NOT NULL,
    n            bigint NOT NULL,
    PRIMARY KEY (quiz_id, passed, question_id, answer, score)
);

-- Adds (sign 1) or takes away (-1) one submitted attempt. Rows go in key
-- order, so two submits of one quiz lock the rows they share in the same
-- order and never deadlock.
CREATE FUNCTION assessment_count_attempt(a attempts, sign integer) RETURNS void
    LANGUAGE sql
    AS $$ INSERT INTO quiz_answer_counts AS c (quiz_id, passed, question_id, answer, score, n)
        SELECT a.quiz_id, a.passed, k.question_id, k.answer, k.score, sign * count(*)
        FROM assessment_slots(a.layout, a.answers, a.scores) AS k
        GROUP BY k.question_id, k.answer, k.score
        ORDER BY k.question_id, k.answer, k.score
        ON CONFLICT (quiz_id, passed, question_id, answer, score) DO UPDATE SET n = c.n + excluded.n $$;

CREATE FUNCTION assessment_count_answers() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF TG_OP <> 'INSERT' AND OLD.submitted_at IS NOT NULL THEN
        PERFORM assessment_count_attempt(OLD, -1);
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.submitted_at IS NOT NULL THEN
        PERFORM assessment_count_attempt(NEW, 1);
    END IF;
    RETURN NULL;
END $$;

-- Saves of open attempts, the most frequent write, fire nothing.
CREATE TRIGGER attempts_count_insert AFTER INSERT ON attempts
    FOR EACH ROW WHEN (NEW.submitted_at IS NOT NULL) EXECUTE FUNCTION assessment_count_answers();
CREATE TRIGGER attempts_count_update AFTER UPDATE OF submitted_at, passed, layout, answers, scores, quiz_id ON attempts
    FOR EACH ROW WHEN (OLD.submitted_at IS NOT NULL OR NEW.submitted_at IS NOT NULL) EXECUTE FUNCTION assessment_count_answers();
CREATE TRIGGER attempts_count_delete AFTER DELETE ON attempts
    FOR EACH ROW WHEN (OLD.submitted_at IS NOT NULL) EXECUTE FUNCTION assessment_count_answers();

-- The attempts submitted before.
INSERT INTO quiz_answer_counts (quiz_id, passed, question_id, answer, score, n)
SELECT a.quiz_id, a.passed, k.question_id, k.answer, k.score, count(*)
FROM attempts AS a CROSS JOIN LATERAL assessment_slots(a.layout, a.answers, a.scores) AS k
WHERE a.submitted_at IS NOT NULL
GROUP BY 1, 2, 3, 4, 5;
