-- One queue of background work for every domain: mail, digests, ZIPs,
-- housekeeping. A job is inserted in the transaction of the write that
-- causes it, so it exists exactly when that write committed.
CREATE TABLE jobs (
    id            bigserial PRIMARY KEY,
    kind          text NOT NULL CHECK (kind ~ '^[a-z][a-z0-9_.]{0,62}$'),
    args          jsonb NOT NULL DEFAULT '{}',
    -- available: waiting for run_at; running: taken until locked_until;
    -- retryable: failed, tried again at run_at; completed; discarded: gave
    -- up (attempts spent, or a permanent error), kept with its last error.
    state         text NOT NULL DEFAULT 'available'
                  CHECK (state IN ('available', 'running', 'retryable', 'completed', 'discarded')),
    attempt       integer NOT NULL DEFAULT 0 CHECK (attempt >= 0),
    max_attempts  integer NOT NULL DEFAULT 10 CHECK (max_attempts BETWEEN 1 AND 100),
    run_at        timestamptz NOT NULL DEFAULT now(),
    -- A job that must run once (a digest per user per day) names itself;
    -- enqueueing it again is a no-op.
    unique_key    text UNIQUE CHECK (length(unique_key) BETWEEN 1 AND 200),
    -- The process working on it, and until when: a process that dies
    -- (kill -9) leaves the job to be taken again once the lease is over.
    locked_by     text,
    locked_until  timestamptz,
    last_error    text NOT NULL DEFAULT '',
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    finished_at   timestamptz,
    CHECK ((state = 'running') = (locked_until IS NOT NULL))
);
-- What a worker takes next: due jobs in order, and leases run out.
CREATE INDEX jobs_due_idx ON jobs (run_at, id) WHERE state IN ('available', 'retryable');
CREATE INDEX jobs_lease_idx ON jobs (locked_until) WHERE state = 'running';
-- The admin page lists jobs by state, newest first; housekeeping deletes
-- old finished ones.
CREATE INDEX jobs_state_idx ON jobs (state, updated_at DESC, id DESC);
