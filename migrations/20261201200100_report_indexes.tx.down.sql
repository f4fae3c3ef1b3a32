DROP INDEX certificates_issued_at_idx;
DROP INDEX enrolments_completed_at_idx;
DROP INDEX enrolments_enrolled_at_idx;
DROP INDEX attempts_enrolment_quiz_idx;
