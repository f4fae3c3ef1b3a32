-- A quiz's pool version goes up with every change to the quiz or its
-- questions (assessment's LockQuiz), so starting an attempt can draw from
-- a pool read without a lock and insert only if the pool is still the
-- one it drew from: one statement instead of a locking transaction.
ALTER TABLE quizzes ADD COLUMN pool_version bigint NOT NULL DEFAULT 0;
