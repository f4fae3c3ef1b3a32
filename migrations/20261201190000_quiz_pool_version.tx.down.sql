ALTER TABLE quizzes DROP COLUMN pool_version;
