-- The checks back on the table, the columns on their plain types, and
-- the general update trigger's WHEN as 20261203140100 left it.
DROP TRIGGER assessment_count_attempts_update ON attempts;
ALTER TABLE attempts
    ALTER COLUMN answers TYPE jsonb,
    ALTER COLUMN scores TYPE jsonb,
    ALTER COLUMN layout TYPE jsonb,
    ALTER COLUMN score TYPE double precision,
    ALTER COLUMN percent TYPE double precision,
    ALTER COLUMN max_score TYPE integer,
    ALTER COLUMN last_save_seq TYPE bigint,
    ALTER COLUMN number TYPE integer,
    ADD CONSTRAINT attempts_answers_check CHECK (jsonb_typeof(answers) = 'object'),
    ADD CONSTRAINT attempts_scores_check CHECK (jsonb_typeof(scores) = 'object'),
    ADD CONSTRAINT attempts_layout_check CHECK (jsonb_typeof(layout) = 'array'),
    ADD CONSTRAINT attempts_score_check CHECK (score >= 0),
    ADD CONSTRAINT attempts_percent_check CHECK (percent >= 0 AND percent <= 100),
    ADD CONSTRAINT attempts_max_score_check CHECK (max_score >= 0),
    ADD CONSTRAINT attempts_last_save_seq_check CHECK (last_save_seq >= 0),
    ADD CONSTRAINT attempts_number_check CHECK (number >= 1);
DROP DOMAIN aula_jsonb_object;
DROP DOMAIN aula_jsonb_array;
DROP DOMAIN aula_nonnegative_float8;
DROP DOMAIN aula_percent;
DROP DOMAIN aula_nonnegative_int;
DROP DOMAIN aula_positive_int;
DROP DOMAIN aula_nonnegative_int8;
CREATE TRIGGER assessment_count_attempts_update AFTER UPDATE OF submitted_at, passed, layout, answers, scores, quiz_id ON attempts
    FOR EACH ROW WHEN (NOT (OLD.submitted_at IS NULL AND NEW.submitted_at IS NOT NULL AND OLD.quiz_id = NEW.quiz_id)
        AND ((OLD.submitted_at IS NULL) <> (NEW.submitted_at IS NULL) OR OLD.quiz_id <> NEW.quiz_id
        OR (NEW.submitted_at IS NOT NULL AND (OLD.passed, OLD.layout, OLD.answers, OLD.scores)
            IS DISTINCT FROM (NEW.passed, NEW.layout, NEW.answers, NEW.scores))))
    EXECUTE FUNCTION assessment_count_attempt_row();
