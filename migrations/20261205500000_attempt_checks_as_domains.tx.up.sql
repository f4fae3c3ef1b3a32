-- Issue 11: the quiz start + submit pair, PostgreSQL's side.
--
-- PostgreSQL reads a table's CHECK constraints from their stored node
-- text and plans them again in every INSERT and UPDATE statement
-- (ExecRelCheck builds them once per statement, not per backend), and a
-- row trigger's WHEN clause likewise. attempts had ten CHECK constraints
-- and an update trigger with a 3.6 kB WHEN clause: under callgrind, a
-- start and a submit spent 16 % of their backend's instructions reading
-- and planning the checks, 4 % more the WHEN clauses. A domain's
-- constraints are read once per backend (the type cache) and only
-- evaluated per statement, so each check on one column now lives in the
-- column's type; the checks across columns stay on the table.
--
-- The domains are created empty and the columns moved onto them first
-- (a domain without constraints needs no rewrite of the table), then
-- the constraints are added, which checks the existing rows once; the
-- table's checks held them already.
CREATE DOMAIN aula_jsonb_object AS jsonb;
CREATE DOMAIN aula_jsonb_array AS jsonb;
CREATE DOMAIN aula_nonnegative_float8 AS double precision;
CREATE DOMAIN aula_percent AS double precision;
CREATE DOMAIN aula_nonnegative_int AS integer;
CREATE DOMAIN aula_positive_int AS integer;
CREATE DOMAIN aula_nonnegative_int8 AS bigint;

-- A column a trigger's WHEN names cannot change its type: the general
-- update trigger goes and comes back below.
DROP TRIGGER assessment_count_attempts_update ON attempts;

ALTER TABLE attempts
    DROP CONSTRAINT attempts_answers_check,
    DROP CONSTRAINT attempts_scores_check,
    DROP CONSTRAINT attempts_layout_check,
    DROP CONSTRAINT attempts_score_check,
    DROP CONSTRAINT attempts_percent_check,
    DROP CONSTRAINT attempts_max_score_check,
    DROP CONSTRAINT attempts_last_save_seq_check,
    DROP CONSTRAINT attempts_number_check,
    ALTER COLUMN answers TYPE aula_jsonb_object,
    ALTER COLUMN scores TYPE aula_jsonb_object,
    ALTER COLUMN layout TYPE aula_jsonb_array,
    ALTER COLUMN score TYPE aula_nonnegative_float8,
    ALTER COLUMN percent TYPE aula_percent,
    ALTER COLUMN max_score TYPE aula_nonnegative_int,
    ALTER COLUMN last_save_seq TYPE aula_nonnegative_int8,
    ALTER COLUMN number TYPE aula_positive_int;

ALTER DOMAIN aula_jsonb_object ADD CONSTRAINT aula_jsonb_object_check CHECK (jsonb_typeof(VALUE) = 'object');
ALTER DOMAIN aula_jsonb_array ADD CONSTRAINT aula_jsonb_array_check CHECK (jsonb_typeof(VALUE) = 'array');
ALTER DOMAIN aula_nonnegative_float8 ADD CONSTRAINT aula_nonnegative_float8_check CHECK (VALUE >= 0);
ALTER DOMAIN aula_percent ADD CONSTRAINT aula_percent_check CHECK (VALUE >= 0 AND VALUE <= 100);
ALTER DOMAIN aula_nonnegative_int ADD CONSTRAINT aula_nonnegative_int_check CHECK (VALUE >= 0);
ALTER DOMAIN aula_positive_int ADD CONSTRAINT aula_positive_int_check CHECK (VALUE >= 1);
ALTER DOMAIN aula_nonnegative_int8 ADD CONSTRAINT aula_nonnegative_int8_check CHECK (VALUE >= 0);

-- The general update trigger counts every change but a submit (which
-- assessment_count_attempts_submit counts) and a change to an open
-- attempt that stays open in its quiz (a save: nothing to count). Its
-- function works out any other change itself, a change that moves no
-- count included, so the WHEN clause only has to leave those two out.
CREATE TRIGGER assessment_count_attempts_update AFTER UPDATE OF submitted_at, passed, layout, answers, scores, quiz_id ON attempts
    FOR EACH ROW WHEN (OLD.submitted_at IS NOT NULL OR OLD.quiz_id <> NEW.quiz_id)
    EXECUTE FUNCTION assessment_count_attempt_row();
