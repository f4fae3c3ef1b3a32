-- An instructor's announcement to everyone enrolled in a course: a title
-- and a Markdown body rendered with the modules' sanitiser, listed on the
-- course page and sent as a notice.
CREATE TABLE course_announcements (
    id            bigserial PRIMARY KEY,
    course_id     bigint NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    author_id     bigint REFERENCES users (id) ON DELETE SET NULL,
    title         text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    body_markdown text NOT NULL CHECK (length(body_markdown) <= 20000),
    body_html     text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX course_announcements_course_idx ON course_announcements (course_id, created_at DESC, id DESC);
