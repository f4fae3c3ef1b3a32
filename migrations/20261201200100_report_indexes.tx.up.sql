-- Indexes the reports read through (docs/reports.md).
-- The gradebook reads each enrolment's attempts per quiz (best score,
-- attempts, last activity): attempts_enrolment_passed_idx covers passed
-- attempts only.
CREATE INDEX attempts_enrolment_quiz_idx ON attempts (enrolment_id, quiz_id);
