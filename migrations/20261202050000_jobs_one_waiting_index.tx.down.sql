DROP INDEX jobs_due_idx;
CREATE INDEX jobs_due_idx ON jobs (run_at, id) WHERE state IN ('available', 'retryable');
CREATE INDEX jobs_waiting_idx ON jobs (kind, run_at) WHERE state IN ('available', 'retryable');
