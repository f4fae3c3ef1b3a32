DROP INDEX IF EXISTS jobs_waiting_idx;
