-- Issue 11: the quiz start + submit pair, PostgreSQL's side.
--
-- Every start and every submit fired assessment_count_attempt_row, which
-- handles each event (insert, update, delete; a regrade; a move to
-- another quiz) and so worked out, per row, which of its branches apply
-- before doing any counting. The two writes a quiz pair makes, an open
-- attempt inserted and an open attempt submitted, now fire a function of
-- their own that only counts: a start adds one open attempt to its slot,
-- a submit moves it from open to passed or failed and adds its answers,
-- the same rows and amounts, taken in the same order (the attempt's
-- slot, then its answers in key order), as the general function writes
-- for them. Every other write still fires that one: the WHEN clauses
-- split the events between the triggers, so each write is counted once.
CREATE FUNCTION assessment_count_started_attempt() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO quiz_attempt_counts AS c (quiz_id, slot, open, passed, failed)
    VALUES (NEW.quiz_id, (NEW.id % 16)::smallint, 1, 0, 0)
    ON CONFLICT (quiz_id, slot) DO UPDATE SET open = c.open + 1;
    RETURN NULL;
END $$;
CREATE FUNCTION assessment_count_submitted_attempt() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO quiz_attempt_counts AS c (quiz_id, slot, open, passed, failed)
    VALUES (NEW.quiz_id, (NEW.id % 16)::smallint, -1, NEW.passed::int, (NOT NEW.passed)::int)
    ON CONFLICT (quiz_id, slot) DO UPDATE SET open = c.open - 1,
        passed = c.passed + EXCLUDED.passed, failed = c.failed + EXCLUDED.failed;
    INSERT INTO quiz_answer_counts AS c (quiz_id, passed, question_id, answer, score, shard, n)
    SELECT NEW.quiz_id, NEW.passed, k.question_id, k.answer, k.score, (NEW.id % 16)::smallint, count(*)
    FROM assessment_slots(NEW.layout, NEW.answers, NEW.scores) AS k
    GROUP BY k.question_id, k.answer, k.score
    ORDER BY k.question_id, k.answer, k.score
    ON CONFLICT (quiz_id, passed, question_id, answer, score, shard) DO UPDATE SET n = c.n + excluded.n;
    RETURN NULL;
END $$;

DROP TRIGGER assessment_count_attempts_insert ON attempts;
DROP TRIGGER assessment_count_attempts_update ON attempts;
CREATE TRIGGER assessment_count_attempts_start AFTER INSERT ON attempts
    FOR EACH ROW WHEN (NEW.submitted_at IS NULL) EXECUTE FUNCTION assessment_count_started_attempt();
CREATE TRIGGER assessment_count_attempts_insert AFTER INSERT ON attempts
    FOR EACH ROW WHEN (NEW.submitted_at IS NOT NULL) EXECUTE FUNCTION assessment_count_attempt_row();
-- A submit sets submitted_at, so UPDATE OF submitted_at sees every one.
CREATE TRIGGER assessment_count_attempts_submit AFTER UPDATE OF submitted_at ON attempts
    FOR EACH ROW WHEN (OLD.submitted_at IS NULL AND NEW.submitted_at IS NOT NULL AND OLD.quiz_id = NEW.quiz_id)
    EXECUTE FUNCTION assessment_count_submitted_attempt();
CREATE TRIGGER assessment_count_attempts_update AFTER UPDATE OF submitted_at, passed, layout, answers, scores, quiz_id ON attempts
    FOR EACH ROW WHEN (NOT (OLD.submitted_at IS NULL AND NEW.submitted_at IS NOT NULL AND OLD.quiz_id = NEW.quiz_id)
        AND ((OLD.submitted_at IS NULL) <> (NEW.submitted_at IS NULL) OR OLD.quiz_id <> NEW.quiz_id
        OR (NEW.submitted_at IS NOT NULL AND (OLD.passed, OLD.layout, OLD.answers, OLD.scores)
            IS DISTINCT FROM (NEW.passed, NEW.layout, NEW.answers, NEW.scores))))
    EXECUTE FUNCTION assessment_count_attempt_row();
