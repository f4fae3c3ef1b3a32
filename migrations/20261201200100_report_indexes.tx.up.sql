-- Indexes the reports read through (docs/reports.md).
-- The gradebook reads each enrolment's attempts per quiz (best score,
-- attempts, last activity): attempts_enrolment_passed_idx covers passed
-- attempts only.
CREATE INDEX attempts_enrolment_quiz_idx ON attempts (enrolment_id, quiz_id);
-- The institution and network reports count a year's enrolments,
-- completions and certificates by their dates.
CREATE INDEX enrolments_enrolled_at_idx ON enrolments (enrolled_at);
CREATE INDEX enrolments_completed_at_idx ON enrolments (completed_at) WHERE completed_at IS NOT NULL;
CREATE INDEX certificates_issued_at_idx ON certificates (issued_at) WHERE revoked_at IS NULL;
