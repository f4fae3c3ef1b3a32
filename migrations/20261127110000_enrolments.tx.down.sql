DROP TABLE IF EXISTS module_completions;
DROP TABLE IF EXISTS enrolments;
