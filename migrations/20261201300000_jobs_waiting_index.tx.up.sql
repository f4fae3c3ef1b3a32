-- /metrics counts the jobs waiting by kind at every scrape
-- (aula_jobs_queued): this index holds only the waiting jobs, with the
-- two columns the count reads, so the count is an index-only scan that
-- never touches the completed jobs the table keeps for a week.
CREATE INDEX jobs_waiting_idx ON jobs (kind, run_at) WHERE state IN ('available', 'retryable');
