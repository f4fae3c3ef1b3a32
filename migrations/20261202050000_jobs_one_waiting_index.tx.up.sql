-- The waiting jobs had two partial indexes over the same rows:
-- jobs_due_idx (run_at, id) for claiming in order, and jobs_waiting_idx
-- (kind, run_at) for the count by kind /metrics reads. One index serves
-- both: the claim walks it in (run_at, id) order, and the count is an
-- index-only range scan on run_at that reads kind from the leaf. Every
-- job changes state several times, so each index less is a write less.
DROP INDEX jobs_waiting_idx;
DROP INDEX jobs_due_idx;
CREATE INDEX jobs_due_idx ON jobs (run_at, id) INCLUDE (kind) WHERE state IN ('available', 'retryable');
