-- Identity: member institutions, users, browser sessions, API tokens,
-- one-time password links, and the rate-limit counters that every app
-- process shares.

CREATE TABLE institutions (
    id          bigserial PRIMARY KEY,
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    acronym     text NOT NULL CHECK (length(acronym) BETWEEN 1 AND 30),
    country     char(2) NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
-- Bulk enrolment files name institutions by acronym: it must be unique.
CREATE UNIQUE INDEX institutions_acronym_key ON institutions (lower(acronym));
-- Lists are ordered by name.
CREATE INDEX institutions_name_idx ON institutions (name, id);

CREATE TABLE users (
    id              bigserial PRIMARY KEY,
    email           text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
    name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    role            text NOT NULL CHECK (role IN ('learner', 'instructor', 'admin')),
    institution_id  bigint REFERENCES institutions (id) ON DELETE RESTRICT,
    locale          text NOT NULL DEFAULT 'en' CHECK (locale IN ('es', 'pt', 'en')),
    password_hash   text NOT NULL DEFAULT '',
    disabled        boolean NOT NULL DEFAULT false,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
-- Emails are unique whatever their case: Ana@x.org and ana@x.org are one person.
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE INDEX users_institution_id_idx ON users (institution_id, name, id);
-- The admin's user list is ordered by name.
CREATE INDEX users_name_idx ON users (name, id);

-- Browser sessions. The cookie holds a random token; only its SHA-256 is
-- stored, so a database leak does not hand out live sessions.
CREATE TABLE sessions (
    token_hash  bytea PRIMARY KEY,
    user_id     bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    user_agent  text NOT NULL DEFAULT '',
    ip          text NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user_id_idx ON sessions (user_id);
CREATE INDEX sessions_expires_at_idx ON sessions (expires_at);

-- API tokens for integrations, stored hashed like sessions, revocable.
CREATE TABLE api_tokens (
    id            bigserial PRIMARY KEY,
    token_hash    bytea NOT NULL UNIQUE,
    user_id       bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_used_at  timestamptz,
    revoked_at    timestamptz
);
CREATE INDEX api_tokens_user_id_idx ON api_tokens (user_id);

-- One-time links to set a password (new accounts from bulk enrolment, resets).
CREATE TABLE password_links (
    token_hash  bytea PRIMARY KEY,
    user_id     bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz
);
CREATE INDEX password_links_user_id_idx ON password_links (user_id);

-- Fixed-window rate-limit counters shared by every app process.
CREATE TABLE rate_limits (
    key           text NOT NULL,
    window_start  timestamptz NOT NULL,
    hits          integer NOT NULL DEFAULT 0,
    PRIMARY KEY (key, window_start)
);
CREATE INDEX rate_limits_window_start_idx ON rate_limits (window_start);
