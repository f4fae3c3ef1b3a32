CREATE INDEX enrolments_enrolled_at_idx ON enrolments (enrolled_at);
CREATE INDEX enrolments_completed_at_idx ON enrolments (completed_at) WHERE completed_at IS NOT NULL;
CREATE INDEX certificates_issued_at_idx ON certificates (issued_at) WHERE revoked_at IS NULL;
DROP INDEX certificates_issued_at_cover_idx;
DROP INDEX enrolments_completed_at_cover_idx;
DROP INDEX enrolments_enrolled_at_cover_idx;
