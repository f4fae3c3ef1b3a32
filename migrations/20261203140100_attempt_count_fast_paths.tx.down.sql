-- The triggers as 20261202120000_attempt_count_trigger left them.
DROP TRIGGER assessment_count_attempts_start ON attempts;
DROP TRIGGER assessment_count_attempts_submit ON attempts;
DROP TRIGGER assessment_count_attempts_insert ON attempts;
DROP TRIGGER assessment_count_attempts_update ON attempts;
DROP FUNCTION assessment_count_started_attempt();
DROP FUNCTION assessment_count_submitted_attempt();
CREATE TRIGGER assessment_count_attempts_insert AFTER INSERT ON attempts
    FOR EACH ROW EXECUTE FUNCTION assessment_count_attempt_row();
CREATE TRIGGER assessment_count_attempts_update AFTER UPDATE OF submitted_at, passed, layout, answers, scores, quiz_id ON attempts
    FOR EACH ROW WHEN ((OLD.submitted_at IS NULL) <> (NEW.submitted_at IS NULL) OR OLD.quiz_id <> NEW.quiz_id
        OR (NEW.submitted_at IS NOT NULL AND (OLD.passed, OLD.layout, OLD.answers, OLD.scores)
            IS DISTINCT FROM (NEW.passed, NEW.layout, NEW.answers, NEW.scores)))
    EXECUTE FUNCTION assessment_count_attempt_row();
