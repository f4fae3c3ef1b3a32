ALTER TABLE attempts DROP CONSTRAINT attempts_enrolment_user_fkey,
    ADD CONSTRAINT attempts_enrolment_id_fkey FOREIGN KEY (enrolment_id) REFERENCES enrolments (id) ON DELETE CASCADE,
    ADD CONSTRAINT attempts_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE;
DROP INDEX enrolments_id_user_key;

DROP INDEX attempts_open_deadline_idx;
CREATE INDEX attempts_open_deadline_idx ON attempts (quiz_id, deadline) WHERE submitted_at IS NULL;
