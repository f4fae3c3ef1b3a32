-- A quiz submit fired two row triggers on attempts, one per count
-- (quiz_attempt_counts for the results' list, quiz_answer_counts for the
-- question statistics), and each went through nested functions: the
-- attempt counts' LANGUAGE sql helper, which PostgreSQL 15 plans again on
-- every call, twice per start + submit, and the answer counts' PL/pgSQL
-- helper. Those calls cost about as much PostgreSQL CPU as the submit's
-- own UPDATE. One PL/pgSQL function now keeps both counts, its statements
-- written in it so each is planned once per connection, and one trigger
-- per event fires it: a start is one trigger and one upsert, a submit one
-- trigger and two upserts. The counts are the same as before, and taken
-- in the same order (the attempt's slot, then its answers in key order),
-- so concurrent writers still do not deadlock.
--
-- An update that changes nothing either count reads (a regrade that
-- gives the same result, the saves of an open attempt) fires nothing:
-- the WHEN clause below, where the old update trigger of the answer
-- counts fired for every write of a submitted attempt's columns.
CREATE FUNCTION assessment_count_attempt_row() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    o_sub boolean := TG_OP <> 'INSERT' AND OLD.submitted_at IS NOT NULL;
    n_sub boolean := TG_OP <> 'DELETE' AND NEW.submitted_at IS NOT NULL;
    same_quiz boolean := TG_OP = 'UPDATE' AND OLD.quiz_id = NEW.quiz_id;
    answers_changed boolean := o_sub <> n_sub OR (o_sub AND n_sub
        AND (OLD.quiz_id, OLD.passed, OLD.layout, OLD.answers, OLD.scores)
            IS DISTINCT FROM (NEW.quiz_id, NEW.passed, NEW.layout, NEW.answers, NEW.scores));
BEGIN
    -- The results' counts, per slot: open, passed, failed.
    IF same_quiz THEN
        IF o_sub <> n_sub OR OLD.passed <> NEW.passed THEN
            INSERT INTO quiz_attempt_counts AS c (quiz_id, slot, open, passed, failed)
            VALUES (NEW.quiz_id, (NEW.id % 16)::smallint,
                (NOT n_sub)::int - (NOT o_sub)::int,
                (n_sub AND NEW.passed)::int - (o_sub AND OLD.passed)::int,
                (n_sub AND NOT NEW.passed)::int - (o_sub AND NOT OLD.passed)::int)
            ON CONFLICT (quiz_id, slot) DO UPDATE SET open = c.open + EXCLUDED.open,
                passed = c.passed + EXCLUDED.passed, failed = c.failed + EXCLUDED.failed;
        END IF;
    ELSE
        IF TG_OP <> 'INSERT' THEN
            INSERT INTO quiz_attempt_counts AS c (quiz_id, slot, open, passed, failed)
            VALUES (OLD.quiz_id, (OLD.id % 16)::smallint, -(NOT o_sub)::int,
                -(o_sub AND OLD.passed)::int, -(o_sub AND NOT OLD.passed)::int)
            ON CONFLICT (quiz_id, slot) DO UPDATE SET open = c.open + EXCLUDED.open,
                passed = c.passed + EXCLUDED.passed, failed = c.failed + EXCLUDED.failed;
        END IF;
        IF TG_OP <> 'DELETE' THEN
            INSERT INTO quiz_attempt_counts AS c (quiz_id, slot, open, passed, failed)
            VALUES (NEW.quiz_id, (NEW.id % 16)::smallint, (NOT n_sub)::int,
                (n_sub AND NEW.passed)::int, (n_sub AND NOT NEW.passed)::int)
            ON CONFLICT (quiz_id, slot) DO UPDATE SET open = c.open + EXCLUDED.open,
                passed = c.passed + EXCLUDED.passed, failed = c.failed + EXCLUDED.failed;
        END IF;
    END IF;
    -- The question statistics: a submitted attempt's answers, taken away
    -- as they were and added as they are, in its own shard.
    IF answers_changed AND o_sub THEN
        INSERT INTO quiz_answer_counts AS c (quiz_id, passed, question_id, answer, score, shard, n)
        SELECT OLD.quiz_id, OLD.passed, k.question_id, k.answer, k.score, (OLD.id % 16)::smallint, -count(*)
        FROM assessment_slots(OLD.layout, OLD.answers, OLD.scores) AS k
        GROUP BY k.question_id, k.answer, k.score
        ORDER BY k.question_id, k.answer, k.score
        ON CONFLICT (quiz_id, passed, question_id, answer, score, shard) DO UPDATE SET n = c.n + excluded.n;
    END IF;
    IF answers_changed AND n_sub THEN
        INSERT INTO quiz_answer_counts AS c (quiz_id, passed, question_id, answer, score, shard, n)
        SELECT NEW.quiz_id, NEW.passed, k.question_id, k.answer, k.score, (NEW.id % 16)::smallint, count(*)
        FROM assessment_slots(NEW.layout, NEW.answers, NEW.scores) AS k
        GROUP BY k.question_id, k.answer, k.score
        ORDER BY k.question_id, k.answer, k.score
        ON CONFLICT (quiz_id, passed, question_id, answer, score, shard) DO UPDATE SET n = c.n + excluded.n;
    END IF;
    RETURN NULL;
END $$;

DROP TRIGGER attempts_count_insert ON attempts;
DROP TRIGGER attempts_count_update ON attempts;
DROP TRIGGER attempts_count_delete ON attempts;
DROP TRIGGER assessment_count_attempts_insert ON attempts;
DROP TRIGGER assessment_count_attempts_update ON attempts;
DROP TRIGGER assessment_count_attempts_delete ON attempts;
DROP FUNCTION assessment_count_answers();
DROP FUNCTION assessment_count_attempt(attempts, integer);
DROP FUNCTION assessment_count_attempts();
DROP FUNCTION assessment_add_attempt_counts(bigint, bigint, int, int, int);

CREATE TRIGGER assessment_count_attempts_insert AFTER INSERT ON attempts
    FOR EACH ROW EXECUTE FUNCTION assessment_count_attempt_row();
-- What either count reads: whether the attempt is submitted, its quiz,
-- and, once submitted, its outcome and answers (an open attempt is never
-- passed: attempts_result_check).
CREATE TRIGGER assessment_count_attempts_update AFTER UPDATE OF submitted_at, passed, layout, answers, scores, quiz_id ON attempts
    FOR EACH ROW WHEN ((OLD.submitted_at IS NULL) <> (NEW.submitted_at IS NULL) OR OLD.quiz_id <> NEW.quiz_id
        OR (NEW.submitted_at IS NOT NULL AND (OLD.passed, OLD.layout, OLD.answers, OLD.scores)
            IS DISTINCT FROM (NEW.passed, NEW.layout, NEW.answers, NEW.scores)))
    EXECUTE FUNCTION assessment_count_attempt_row();
CREATE TRIGGER assessment_count_attempts_delete AFTER DELETE ON attempts
    FOR EACH ROW EXECUTE FUNCTION assessment_count_attempt_row();
