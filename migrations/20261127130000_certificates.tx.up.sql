-- Certificates: the signing keys, the issuer's look, the certificates
-- themselves with the snapshot of what each one states, their audit trail,
-- and the jobs that pack a course's certificates into one ZIP file.

-- Ed25519 keys the certificates are signed with. Exactly one is current
-- (retired_at IS NULL); retired keys stay so that certificates signed with
-- them keep verifying. private is the 32-byte seed, base64url.
CREATE TABLE signing_keys (
    id          bigserial PRIMARY KEY,
    public      text NOT NULL UNIQUE,
    private     text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    retired_at  timestamptz
);
-- At most one current key, so two processes starting at once cannot both
-- create one.
CREATE UNIQUE INDEX signing_keys_current_key ON signing_keys ((retired_at IS NULL)) WHERE retired_at IS NULL;

-- The organisation granting certificates: one row. version grows with every
-- change, so each app process can tell cheaply that its cached copy is stale.
CREATE TABLE certificate_issuer (
    id            boolean PRIMARY KEY DEFAULT true CHECK (id),
    name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    accent_color  text NOT NULL DEFAULT '' CHECK (accent_color = '' OR accent_color ~ '^#[0-9A-Fa-f]{6}$'),
    logo          bytea CHECK (length(logo) <= 2097152),
    version       bigint NOT NULL DEFAULT 1,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    updated_by    bigint REFERENCES users (id) ON DELETE SET NULL
);
INSERT INTO certificate_issuer (name) VALUES ('Aula');

-- Up to two people who sign certificates, in the order they are printed.
CREATE TABLE certificate_signatories (
    position   smallint PRIMARY KEY CHECK (position IN (1, 2)),
    name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    title      text NOT NULL DEFAULT '' CHECK (length(title) <= 120),
    signature  bytea CHECK (length(signature) <= 2097152)
);

-- A certificate and the immutable snapshot of what it states (holder_name …
-- template_version): the PDF and the verify page are drawn from these
-- columns, never from the live user or course. A certificate is never
-- deleted; revoking keeps the row.
CREATE TABLE certificates (
    id                bigserial PRIMARY KEY,
    -- AULA-XXXX-XXXX-XX over the alphabet without 0/O, 1/I/L and U.
    code              text NOT NULL CHECK (code ~ '^AULA-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{2}$'),
    user_id           bigint NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    course_id         bigint NOT NULL REFERENCES courses (id) ON DELETE RESTRICT,
    -- The completion that earned it; NULL for one issued by hand without one.
    enrolment_id      bigint REFERENCES enrolments (id) ON DELETE SET NULL,
    holder_name       text NOT NULL CHECK (length(holder_name) BETWEEN 1 AND 200),
    course_title      text NOT NULL CHECK (length(course_title) BETWEEN 1 AND 200),
    workload_hours    integer NOT NULL CHECK (workload_hours BETWEEN 0 AND 1000),
    completed_at      timestamptz NOT NULL,
    issued_at         timestamptz NOT NULL,
    institution       text NOT NULL DEFAULT '' CHECK (length(institution) <= 200),
    issuer_name       text NOT NULL CHECK (length(issuer_name) BETWEEN 1 AND 200),
    language          text NOT NULL CHECK (language IN ('es', 'pt', 'en')),
    template_version  integer NOT NULL CHECK (template_version >= 1),
    -- Ed25519 signature of the snapshot's payload with key_id.
    signature         text NOT NULL,
    key_id            bigint NOT NULL REFERENCES signing_keys (id) ON DELETE RESTRICT,
    -- completed_at + the course's certificate_validity_months; NULL: never.
    expires_at        timestamptz,
    -- Who issued it by hand; NULL: issued on completion.
    issued_by         bigint REFERENCES users (id) ON DELETE SET NULL,
    -- 1 at issue, one more per correction (reissue), which keeps the code.
    revision          integer NOT NULL DEFAULT 1 CHECK (revision >= 1),
    reissued_at       timestamptz,
    revoked_at        timestamptz,
    revoked_by        bigint REFERENCES users (id) ON DELETE SET NULL,
    revoke_reason     text CHECK (length(revoke_reason) BETWEEN 1 AND 1000),
    created_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT certificates_code_key UNIQUE (code),
    -- Exactly one certificate per completed enrolment, however completion races.
    CONSTRAINT certificates_enrolment_key UNIQUE (enrolment_id),
    CONSTRAINT certificates_revoked_check CHECK ((revoked_at IS NULL) = (revoke_reason IS NULL)),
    CONSTRAINT certificates_reissued_check CHECK ((revision = 1) = (reissued_at IS NULL))
);
-- One standing certificate per person and course: a manual issue for
-- someone who holds one is a conflict; after a revocation a new one may be
-- issued.
CREATE UNIQUE INDEX certificates_user_course_key ON certificates (user_id, course_id) WHERE revoked_at IS NULL;
CREATE INDEX certificates_course_id_idx ON certificates (course_id, issued_at);
CREATE INDEX certificates_key_id_idx ON certificates (key_id);

-- The audit trail: who issued, revoked or corrected a certificate, when,
-- why and what changed. actor_name is kept in case the account goes.
CREATE TABLE certificate_events (
    id              bigserial PRIMARY KEY,
    certificate_id  bigint NOT NULL REFERENCES certificates (id) ON DELETE RESTRICT,
    kind            text NOT NULL CHECK (kind IN ('issued', 'revoked', 'reissued')),
    actor_id        bigint REFERENCES users (id) ON DELETE SET NULL,
    actor_name      text NOT NULL DEFAULT '',
    at              timestamptz NOT NULL DEFAULT now(),
    reason          text NOT NULL DEFAULT '' CHECK (length(reason) <= 1000),
    -- {"holder_name": {"from": "…", "to": "…"}, …} for a reissue.
    changes         jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX certificate_events_certificate_id_idx ON certificate_events (certificate_id, at);

-- "Download all certificates of a course": a job that any app process's
-- worker claims (FOR UPDATE SKIP LOCKED) and fills, reporting progress in
-- done/total. attempt grows with each claim; a worker whose heartbeat
-- stops is replaced, and its late writes are fenced off by the attempt.
CREATE TABLE certificate_zip_jobs (
    id            bigserial PRIMARY KEY,
    course_id     bigint NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    requested_by  bigint REFERENCES users (id) ON DELETE SET NULL,
    status        text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'done', 'failed')),
    attempt       integer NOT NULL DEFAULT 0,
    done          integer NOT NULL DEFAULT 0 CHECK (done >= 0),
    total         integer NOT NULL DEFAULT 0 CHECK (total >= 0),
    size_bytes    bigint NOT NULL DEFAULT 0,
    error         text NOT NULL DEFAULT '',
    created_at    timestamptz NOT NULL DEFAULT now(),
    started_at    timestamptz,
    heartbeat_at  timestamptz,
    finished_at   timestamptz
);
CREATE INDEX certificate_zip_jobs_open_idx ON certificate_zip_jobs (id) WHERE status IN ('pending', 'running');
CREATE INDEX certificate_zip_jobs_course_id_idx ON certificate_zip_jobs (course_id, id DESC);

-- The ZIP file of a job, in pieces of about 1 MB written while it is made
-- and read back in order when it is downloaded: neither side holds the
-- whole file in memory, and every app process can serve it.
CREATE TABLE certificate_zip_parts (
    job_id   bigint NOT NULL REFERENCES certificate_zip_jobs (id) ON DELETE CASCADE,
    attempt  integer NOT NULL,
    seq      integer NOT NULL,
    data     bytea NOT NULL,
    PRIMARY KEY (job_id, attempt, seq)
);
-- PDFs in a ZIP are compressed already: do not try again.
ALTER TABLE certificate_zip_parts ALTER COLUMN data SET STORAGE EXTERNAL;
