-- Community: forums (one per course, per event, and one network-wide forum
-- per language), their topics (discussions, questions, consultations),
-- posts with one level of replies, reactions, edit history, reports,
-- moderation, following and read markers.

-- Forum search ignores accents and case and stems words in the forum's
-- language: "previdência" finds "previdencia" and "previdências".
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE TEXT SEARCH CONFIGURATION community_en (COPY = english);
ALTER TEXT SEARCH CONFIGURATION community_en
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;
CREATE TEXT SEARCH CONFIGURATION community_es (COPY = spanish);
ALTER TEXT SEARCH CONFIGURATION community_es
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, spanish_stem;
CREATE TEXT SEARCH CONFIGURATION community_pt (COPY = portuguese);
ALTER TEXT SEARCH CONFIGURATION community_pt
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, portuguese_stem;

CREATE TABLE forums (
    id          bigserial PRIMARY KEY,
    scope       text NOT NULL CHECK (scope IN ('course', 'event', 'network')),
    -- The course's or event's id; none for the network forums. Events
    -- live in another package whose tables may not exist yet: no foreign key.
    scope_id    bigint,
    language    text NOT NULL CHECK (language IN ('es', 'pt', 'en')),
    -- The network forums' own title; course and event forums take their
    -- course's or event's title when read.
    title       text NOT NULL DEFAULT '' CHECK (length(title) <= 200),
    course_id   bigint REFERENCES courses (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CHECK ((scope = 'network') = (scope_id IS NULL)),
    CHECK ((scope = 'course') = (course_id IS NOT NULL) AND (course_id IS NULL OR course_id = scope_id))
);
CREATE UNIQUE INDEX forums_scope_key ON forums (scope, scope_id) WHERE scope_id IS NOT NULL;
CREATE UNIQUE INDEX forums_network_key ON forums (language) WHERE scope = 'network';

-- The network forums are made by the application on first use, like
-- course forums: a migration that seeds rows would be data that rolling
-- it back deletes.

-- Users an admin names moderator: they moderate every forum they may read.
CREATE TABLE forum_moderators (
    user_id     bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    named_by    bigint REFERENCES users (id) ON DELETE SET NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- At most one row, the installation's community settings, written the
-- first time an admin changes them (none: the defaults).
CREATE TABLE community_settings (
    id                boolean PRIMARY KEY DEFAULT true CHECK (id),
    -- Hold the first post of an account younger than this many days until
    -- a moderator approves it; 0 holds nothing.
    hold_new_accounts_days integer NOT NULL DEFAULT 0 CHECK (hold_new_accounts_days BETWEEN 0 AND 3650),
    updated_at        timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE forum_topics (
    id               bigserial PRIMARY KEY,
    forum_id         bigint NOT NULL REFERENCES forums (id) ON DELETE CASCADE,
    kind             text NOT NULL CHECK (kind IN ('discussion', 'question', 'consultation')),
    title            text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    author_id        bigint REFERENCES users (id) ON DELETE SET NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    -- Kept by every write that adds a visible post, so lists need no count.
    posts_count      integer NOT NULL DEFAULT 0 CHECK (posts_count >= 0),
    last_post_id     bigint NOT NULL DEFAULT 0,
    last_post_at     timestamptz NOT NULL DEFAULT now(),
    -- The opening post waits for a moderator: only its author and the
    -- forum's moderators see the topic.
    held             boolean NOT NULL DEFAULT false,
    locked_at        timestamptz,
    pinned_at        timestamptz,
    accepted_post_id bigint,
    closes_at        timestamptz,
    synthesis_markdown text CHECK (length(synthesis_markdown) <= 100000),
    synthesis_html   text,
    synthesis_at     timestamptz,
    CHECK ((kind = 'consultation') = (closes_at IS NOT NULL)),
    CHECK (kind = 'question' OR accepted_post_id IS NULL),
    CHECK (kind = 'consultation' OR synthesis_markdown IS NULL)
);
CREATE INDEX forum_topics_list_idx ON forum_topics (forum_id, pinned_at DESC NULLS LAST, last_post_at DESC, id DESC);
CREATE INDEX forum_topics_author_idx ON forum_topics (author_id);

-- The choices a consultation offers, in order.
CREATE TABLE consultation_options (
    id        bigserial PRIMARY KEY,
    topic_id  bigint NOT NULL REFERENCES forum_topics (id) ON DELETE CASCADE,
    position  integer NOT NULL CHECK (position >= 1),
    label     text NOT NULL CHECK (length(label) BETWEEN 1 AND 200),
    UNIQUE (topic_id, position),
    UNIQUE (topic_id, id)
);

CREATE TABLE forum_posts (
    id             bigserial PRIMARY KEY,
    topic_id       bigint NOT NULL REFERENCES forum_topics (id) ON DELETE CASCADE,
    parent_id      bigint,
    -- 0 for a post, 1 for a reply; parent_depth is 0 when there is a
    -- parent, so the foreign key below admits only a post of the same
    -- topic as parent: replies are one level deep by construction.
    depth          smallint GENERATED ALWAYS AS (CASE WHEN parent_id IS NULL THEN 0 ELSE 1 END) STORED,
    parent_depth   smallint GENERATED ALWAYS AS (CASE WHEN parent_id IS NULL THEN NULL ELSE 0 END) STORED,
    author_id      bigint REFERENCES users (id) ON DELETE SET NULL,
    -- The topic's first post, written with it.
    opening        boolean NOT NULL DEFAULT false,
    -- A member's answer to a consultation: one per member.
    answer         boolean NOT NULL DEFAULT false,
    option_id      bigint,
    body_markdown  text NOT NULL CHECK (length(body_markdown) BETWEEN 1 AND 20000),
    -- Rendered and sanitised once on save, not on every view.
    body_html      text NOT NULL,
    language       text NOT NULL CHECK (language IN ('es', 'pt', 'en')),
    search         tsvector NOT NULL,
    plus_count     integer NOT NULL DEFAULT 0 CHECK (plus_count >= 0),
    created_at     timestamptz NOT NULL DEFAULT now(),
    edited_at      timestamptz,
    held           boolean NOT NULL DEFAULT false,
    hidden_at      timestamptz,
    hidden_by      bigint REFERENCES users (id) ON DELETE SET NULL,
    UNIQUE (topic_id, id, depth),
    FOREIGN KEY (topic_id, parent_id, parent_depth) REFERENCES forum_posts (topic_id, id, depth) ON DELETE CASCADE,
    FOREIGN KEY (topic_id, option_id) REFERENCES consultation_options (topic_id, id),
    CHECK (NOT (answer AND (opening OR parent_id IS NOT NULL))),
    CHECK (option_id IS NULL OR answer)
);
CREATE INDEX forum_posts_topic_idx ON forum_posts (topic_id, id);
CREATE INDEX forum_posts_author_idx ON forum_posts (author_id);
CREATE INDEX forum_posts_search_idx ON forum_posts USING gin (search);
-- One answer per member and consultation, whatever the races.
CREATE UNIQUE INDEX forum_posts_one_answer_key ON forum_posts (topic_id, author_id) WHERE answer;
CREATE UNIQUE INDEX forum_posts_one_opening_key ON forum_posts (topic_id) WHERE opening;

ALTER TABLE forum_topics ADD CONSTRAINT forum_topics_accepted_fk
    FOREIGN KEY (accepted_post_id) REFERENCES forum_posts (id) ON DELETE SET NULL;

-- Earlier versions of an edited post, for moderators.
CREATE TABLE forum_post_revisions (
    id             bigserial PRIMARY KEY,
    post_id        bigint NOT NULL REFERENCES forum_posts (id) ON DELETE CASCADE,
    body_markdown  text NOT NULL,
    edited_by      bigint REFERENCES users (id) ON DELETE SET NULL,
    -- When this version was replaced.
    replaced_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX forum_post_revisions_post_idx ON forum_post_revisions (post_id, id);

CREATE TABLE forum_reactions (
    post_id     bigint NOT NULL REFERENCES forum_posts (id) ON DELETE CASCADE,
    user_id     bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (post_id, user_id)
);

-- Files attached to posts; the bytes live in the blob store under their
-- SHA-256, as course files do.
CREATE TABLE forum_attachments (
    id            bigserial PRIMARY KEY,
    post_id       bigint NOT NULL REFERENCES forum_posts (id) ON DELETE CASCADE,
    sha256        text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    file_name     text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
    content_type  text NOT NULL,
    size_bytes    bigint NOT NULL CHECK (size_bytes >= 0),
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX forum_attachments_post_idx ON forum_attachments (post_id);
CREATE INDEX forum_attachments_sha256_idx ON forum_attachments (sha256);

CREATE TABLE forum_reports (
    id           bigserial PRIMARY KEY,
    post_id      bigint NOT NULL REFERENCES forum_posts (id) ON DELETE CASCADE,
    reporter_id  bigint REFERENCES users (id) ON DELETE SET NULL,
    reason       text NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000),
    created_at   timestamptz NOT NULL DEFAULT now(),
    resolved_at  timestamptz,
    resolved_by  bigint REFERENCES users (id) ON DELETE SET NULL
);
-- A member reports a post once while the report is open.
CREATE UNIQUE INDEX forum_reports_open_key ON forum_reports (post_id, reporter_id) WHERE resolved_at IS NULL;
CREATE INDEX forum_reports_open_idx ON forum_reports (post_id) WHERE resolved_at IS NULL;

-- Every moderation act, with who and why. Kept when the post or topic goes.
CREATE TABLE forum_moderation_log (
    id          bigserial PRIMARY KEY,
    forum_id    bigint NOT NULL REFERENCES forums (id) ON DELETE CASCADE,
    topic_id    bigint REFERENCES forum_topics (id) ON DELETE SET NULL,
    post_id     bigint REFERENCES forum_posts (id) ON DELETE SET NULL,
    actor_id    bigint REFERENCES users (id) ON DELETE SET NULL,
    action      text NOT NULL CHECK (action IN ('hide', 'restore', 'approve', 'lock', 'unlock', 'pin', 'unpin', 'move', 'accept')),
    reason      text NOT NULL DEFAULT '' CHECK (length(reason) <= 1000),
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX forum_moderation_log_forum_idx ON forum_moderation_log (forum_id, id DESC);

CREATE TABLE forum_follows (
    user_id     bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    forum_id    bigint NOT NULL REFERENCES forums (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, forum_id)
);
CREATE INDEX forum_follows_forum_idx ON forum_follows (forum_id);

CREATE TABLE topic_follows (
    user_id     bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    topic_id    bigint NOT NULL REFERENCES forum_topics (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, topic_id)
);
CREATE INDEX topic_follows_topic_idx ON topic_follows (topic_id);

-- How far each member has read each topic: unread while the topic's
-- last_post_id is greater.
CREATE TABLE topic_reads (
    user_id            bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    topic_id           bigint NOT NULL REFERENCES forum_topics (id) ON DELETE CASCADE,
    last_read_post_id  bigint NOT NULL,
    PRIMARY KEY (user_id, topic_id)
);

-- Mentions ("@Ana Peña") look members up by their folded name.
CREATE INDEX users_folded_name_idx ON users (accounts_fold(name));
