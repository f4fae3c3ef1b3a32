DROP FUNCTION courses_progress_rebuild();
DROP TRIGGER courses_count_moved_enrolment ON enrolments;
DROP FUNCTION courses_count_moved_enrolment();
DROP TRIGGER courses_uncount_module ON modules;
DROP FUNCTION courses_uncount_module();
DROP TRIGGER courses_count_completion ON module_completions;
DROP FUNCTION courses_count_completion();
ALTER TABLE enrolments DROP COLUMN last_module_at, DROP COLUMN modules_completed;
DROP INDEX modules_archived_idx;
