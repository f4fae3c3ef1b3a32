-- Enrolment imports: every CSV import kept as a report the admin can open
-- again (who, when, counts, the accounts it created and, while unused, their
-- password links), so links are not lost when the answer never arrives.

CREATE TABLE enrolment_imports (
    id               bigserial PRIMARY KEY,
    course_id        bigint NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    imported_by      bigint REFERENCES users (id) ON DELETE SET NULL,
    -- The importer's name at the time, kept when the account goes.
    imported_by_name text NOT NULL DEFAULT '',
    imported_at      timestamptz NOT NULL DEFAULT now(),
    file_name        text NOT NULL DEFAULT '' CHECK (length(file_name) <= 255),
    row_count        integer NOT NULL CHECK (row_count >= 0),
    created_users    integer NOT NULL CHECK (created_users >= 0),
    enrolled         integer NOT NULL CHECK (enrolled >= 0),
    already_enrolled integer NOT NULL CHECK (already_enrolled >= 0)
);
CREATE INDEX enrolment_imports_course_id_idx ON enrolment_imports (course_id, imported_at DESC, id DESC);

CREATE TABLE enrolment_import_accounts (
    import_id        bigint NOT NULL REFERENCES enrolment_imports (id) ON DELETE CASCADE,
    user_id          bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    email            text NOT NULL,
    name             text NOT NULL,
    -- The one-time password token as handed out, so the admin can hand it
    -- over again; NULL once the link was used or expired (docs/enrolment.md).
    password_token   text,
    token_expires_at timestamptz,
    PRIMARY KEY (import_id, user_id),
    CONSTRAINT enrolment_import_accounts_token_check CHECK ((password_token IS NULL) = (token_expires_at IS NULL))
);
CREATE INDEX enrolment_import_accounts_user_id_idx ON enrolment_import_accounts (user_id);
CREATE INDEX enrolment_import_accounts_expiry_idx ON enrolment_import_accounts (token_expires_at)
    WHERE password_token IS NOT NULL;
