-- Courses: what is taught. Full-text search ignores accents and case
-- through the unaccent dictionary inside the aula_search configuration.

CREATE EXTENSION IF NOT EXISTS unaccent;

CREATE TEXT SEARCH CONFIGURATION aula_search (COPY = simple);
ALTER TEXT SEARCH CONFIGURATION aula_search
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;

CREATE TABLE courses (
    id              bigserial PRIMARY KEY,
    slug            text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 80),
    title           text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    summary         text NOT NULL DEFAULT '' CHECK (length(summary) <= 5000),
    language        text NOT NULL CHECK (language IN ('es', 'pt', 'en')),
    workload_hours  integer NOT NULL CHECK (workload_hours BETWEEN 1 AND 1000),
    status          text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'archived')),
    cover_asset_id  bigint,
    -- Months a certificate of this course stays valid (mandatory periodic
    -- training); NULL means it does not expire.
    certificate_validity_months integer CHECK (certificate_validity_months > 0),
    created_by      bigint REFERENCES users (id) ON DELETE SET NULL,
    published_at    timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    search          tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('aula_search', title), 'A') ||
        setweight(to_tsvector('aula_search', summary), 'B')
    ) STORED
);
-- fastupdate off: new rows go straight into the index rather than a pending
-- list that every search scans until the next vacuum. Courses are written
-- rarely and searched often, and the planner then costs the index rightly.
CREATE INDEX courses_search_idx ON courses USING gin (search) WITH (fastupdate = off);
CREATE INDEX courses_catalog_idx ON courses (status, language, published_at DESC);

-- Who may edit a course (besides admins).
CREATE TABLE course_instructors (
    course_id  bigint NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (course_id, user_id)
);
CREATE INDEX course_instructors_user_id_idx ON course_instructors (user_id);

CREATE TABLE modules (
    id                 bigserial PRIMARY KEY,
    course_id          bigint NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    position           integer NOT NULL CHECK (position >= 1),
    title              text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    body_markdown      text NOT NULL DEFAULT '' CHECK (length(body_markdown) <= 200000),
    -- Rendered and sanitised once on save, not on every view.
    body_html          text NOT NULL DEFAULT '',
    estimated_minutes  integer NOT NULL DEFAULT 0 CHECK (estimated_minutes BETWEEN 0 AND 6000),
    archived_at        timestamptz,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    -- Deferrable so a reorder can swap two positions inside one transaction.
    CONSTRAINT modules_course_position_key UNIQUE (course_id, position) DEFERRABLE INITIALLY IMMEDIATE
);

-- Files attached to a course; the bytes live in the blob store under their SHA-256.
CREATE TABLE course_assets (
    id            bigserial PRIMARY KEY,
    course_id     bigint NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    sha256        text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    file_name     text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
    content_type  text NOT NULL,
    size_bytes    bigint NOT NULL CHECK (size_bytes >= 0),
    uploaded_by   bigint REFERENCES users (id) ON DELETE SET NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX course_assets_course_id_idx ON course_assets (course_id);
-- The file sweep asks which stored contents are still in use.
CREATE INDEX course_assets_sha256_idx ON course_assets (sha256);

ALTER TABLE courses ADD CONSTRAINT courses_cover_asset_fk
    FOREIGN KEY (cover_asset_id) REFERENCES course_assets (id) ON DELETE SET NULL;
