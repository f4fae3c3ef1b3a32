-- Exports too large to stream while the person waits are made by a
-- background job (kind reports.export) into the file storage; this row
-- says how far the job got and, once done, which stored file it made.
-- Only the person who asked downloads it, until expires_at.
CREATE TABLE report_exports (
    id            bigserial PRIMARY KEY,
    kind          text NOT NULL CHECK (kind IN ('gradebook')),
    course_id     bigint NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    requested_by  bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- The filters, already narrowed to what the requester may see.
    query         jsonb NOT NULL DEFAULT '{}',
    lang          text NOT NULL CHECK (length(lang) BETWEEN 2 AND 10),
    semicolon     boolean NOT NULL DEFAULT false,
    file_name     text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 200),
    status        text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'done', 'failed')),
    -- The job's attempt that works the export: progress from an older
    -- attempt (a worker thought dead) is refused.
    attempt       integer NOT NULL DEFAULT 0 CHECK (attempt >= 0),
    done          integer NOT NULL DEFAULT 0 CHECK (done >= 0),
    total         integer NOT NULL DEFAULT 0 CHECK (total >= 0),
    blob_sha256   text CHECK (blob_sha256 ~ '^[0-9a-f]{64}$'),
    size_bytes    bigint NOT NULL DEFAULT 0 CHECK (size_bytes >= 0),
    created_at    timestamptz NOT NULL DEFAULT now(),
    heartbeat_at  timestamptz,
    finished_at   timestamptz,
    expires_at    timestamptz,
    CHECK ((status = 'done') = (blob_sha256 IS NOT NULL AND expires_at IS NOT NULL))
);
-- A second click while the same export is being made gets the same row.
CREATE UNIQUE INDEX report_exports_open_key ON report_exports (requested_by, kind, course_id, query, lang)
    WHERE status IN ('pending', 'running');
CREATE INDEX report_exports_blob_idx ON report_exports (blob_sha256) WHERE blob_sha256 IS NOT NULL;
