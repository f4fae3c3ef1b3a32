-- Issue 11: the quiz start + submit pair, PostgreSQL's side.
--
-- A start counted all of the learner's attempts at the quiz (count, last
-- number, any open) to find its next number: a learner who takes a quiz
-- again and again (the benchmark's, hundreds of times) made each start
-- read every earlier attempt. The start now reads the last attempt's
-- number from the end of attempts_quiz_user_number_key, asks whether one
-- is open from the open attempts' index, led by the quiz and the learner
-- for that, and counts attempts only for a quiz that limits them
-- (assessment.Store.QuizToStart). The quiz-wide sweeps of open attempts
-- past their deadline still find them under the quiz: an open attempt is
-- in this index only while it is open, so they are few.
DROP INDEX attempts_open_deadline_idx;
CREATE INDEX attempts_open_deadline_idx ON attempts (quiz_id, user_id, deadline) WHERE submitted_at IS NULL;

-- Each start checked two foreign keys that name the same person: the
-- attempt's enrolment, and its user. One key over (enrolment_id, user_id)
-- checks both in one lookup (one row lock instead of two per start) and
-- says more: the attempt's learner is its enrolment's. Deleting a user
-- still removes their attempts, through their enrolments.
CREATE UNIQUE INDEX enrolments_id_user_key ON enrolments (id, user_id);
ALTER TABLE attempts DROP CONSTRAINT attempts_enrolment_id_fkey,
    DROP CONSTRAINT attempts_user_id_fkey,
    ADD CONSTRAINT attempts_enrolment_user_fkey FOREIGN KEY (enrolment_id, user_id)
        REFERENCES enrolments (id, user_id) ON DELETE CASCADE;
