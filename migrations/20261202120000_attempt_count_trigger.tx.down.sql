-- The two triggers and their helpers as 20261201350000_scale_queries,
-- 20261202030000_list_counts and 20261202040000_quiz_answer_count_shards
-- left them; the counts they keep are unchanged.
DROP TRIGGER assessment_count_attempts_insert ON attempts;
DROP TRIGGER assessment_count_attempts_update ON attempts;
DROP TRIGGER assessment_count_attempts_delete ON attempts;
DROP FUNCTION assessment_count_attempt_row();

CREATE FUNCTION assessment_count_attempt(a attempts, sign integer) RETURNS void
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

CREATE TRIGGER attempts_count_insert AFTER INSERT ON attempts
    FOR EACH ROW WHEN (NEW.submitted_at IS NOT NULL) EXECUTE FUNCTION assessment_count_answers();
CREATE TRIGGER attempts_count_update AFTER UPDATE OF submitted_at, passed, layout, answers, scores, quiz_id ON attempts
    FOR EACH ROW WHEN (OLD.submitted_at IS NOT NULL OR NEW.submitted_at IS NOT NULL) EXECUTE FUNCTION assessment_count_answers();
CREATE TRIGGER attempts_count_delete AFTER DELETE ON attempts
    FOR EACH ROW WHEN (OLD.submitted_at IS NOT NULL) EXECUTE FUNCTION assessment_count_answers();

CREATE FUNCTION assessment_add_attempt_counts(p_quiz bigint, p_id bigint, p_open int, p_passed int, p_failed int)
    RETURNS void LANGUAGE sql AS $$
    INSERT INTO quiz_attempt_counts AS c (quiz_id, slot, open, passed, failed)
    VALUES (p_quiz, (p_id % 16)::smallint, p_open, p_passed, p_failed)
    ON CONFLICT (quiz_id, slot) DO UPDATE SET open = c.open + EXCLUDED.open, passed = c.passed + EXCLUDED.passed,
        failed = c.failed + EXCLUDED.failed
$$;

CREATE FUNCTION assessment_count_attempts() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    o_open int := 0; o_passed int := 0; o_failed int := 0;
    n_open int := 0; n_passed int := 0; n_failed int := 0;
BEGIN
    IF TG_OP <> 'INSERT' THEN
        o_open := (OLD.submitted_at IS NULL)::int;
        o_passed := (OLD.submitted_at IS NOT NULL AND OLD.passed)::int;
        o_failed := (OLD.submitted_at IS NOT NULL AND NOT OLD.passed)::int;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        n_open := (NEW.submitted_at IS NULL)::int;
        n_passed := (NEW.submitted_at IS NOT NULL AND NEW.passed)::int;
        n_failed := (NEW.submitted_at IS NOT NULL AND NOT NEW.passed)::int;
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.quiz_id = NEW.quiz_id THEN
        PERFORM assessment_add_attempt_counts(NEW.quiz_id, NEW.id, n_open - o_open, n_passed - o_passed, n_failed - o_failed);
        RETURN NULL;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        PERFORM assessment_add_attempt_counts(OLD.quiz_id, OLD.id, -o_open, -o_passed, -o_failed);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        PERFORM assessment_add_attempt_counts(NEW.quiz_id, NEW.id, n_open, n_passed, n_failed);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER assessment_count_attempts_insert AFTER INSERT ON attempts
    FOR EACH ROW EXECUTE FUNCTION assessment_count_attempts();
CREATE TRIGGER assessment_count_attempts_update AFTER UPDATE OF submitted_at, passed, quiz_id ON attempts
    FOR EACH ROW WHEN ((OLD.submitted_at IS NULL) <> (NEW.submitted_at IS NULL) OR OLD.passed <> NEW.passed
        OR OLD.quiz_id <> NEW.quiz_id)
    EXECUTE FUNCTION assessment_count_attempts();
CREATE TRIGGER assessment_count_attempts_delete AFTER DELETE ON attempts
    FOR EACH ROW EXECUTE FUNCTION assessment_count_attempts();
