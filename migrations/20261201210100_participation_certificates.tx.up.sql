-- Certificates of participation: a certificate is of a course (a
-- completion) or of an event (a participation), never both; its kind is
-- which of the two it names. It keeps the same codes, signature, PDF,
-- verify page and revocation.
ALTER TABLE certificates
    ADD COLUMN event_id bigint REFERENCES events (id) ON DELETE RESTRICT,
    -- The first day of the event (completed_at is the last); participations only.
    ADD COLUMN started_at timestamptz,
    ALTER COLUMN course_id DROP NOT NULL,
    ADD CONSTRAINT certificates_kind_check CHECK (
        (course_id IS NOT NULL AND event_id IS NULL AND started_at IS NULL) OR
        (course_id IS NULL AND event_id IS NOT NULL AND enrolment_id IS NULL AND started_at IS NOT NULL));
-- One standing certificate per person and event, however closings race.
CREATE UNIQUE INDEX certificates_user_event_key ON certificates (user_id, event_id) WHERE revoked_at IS NULL AND event_id IS NOT NULL;
CREATE INDEX certificates_event_id_idx ON certificates (event_id, issued_at) WHERE event_id IS NOT NULL;
