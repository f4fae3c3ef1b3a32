-- In-app notifications: what happened to a user (enrolled, a certificate,
-- an announcement), shown under the bell until read. Written in the
-- transaction of the write that causes it, as its mail is.
CREATE TABLE notifications (
    id           bigserial PRIMARY KEY,
    user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind         text NOT NULL CHECK (kind ~ '^[a-z][a-z0-9_]{0,62}$'),
    -- The texts' arguments (a course's title, a certificate's code), so the
    -- notice is worded in the reader's language of the day.
    args         jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(args) = 'array'),
    -- Where it leads: a path of the site.
    link         text NOT NULL CHECK (link LIKE '/%'),
    created_at   timestamptz NOT NULL DEFAULT now(),
    read_at      timestamptz,
    -- Set when the notice waits for the user's daily digest: the local day
    -- whose morning digest takes it; digested_at once it went.
    digest_on    date,
    digested_at  timestamptz
);
CREATE INDEX notifications_user_idx ON notifications (user_id, created_at DESC, id DESC);
CREATE INDEX notifications_unread_idx ON notifications (user_id) WHERE read_at IS NULL;
CREATE INDEX notifications_digest_idx ON notifications (user_id, digest_on) WHERE digest_on IS NOT NULL AND digested_at IS NULL;

-- How a user wants each topic of notices: at once by mail, in the daily
-- digest, or not by mail at all (in-app notifications stay). A topic
-- without a row is 'immediate'. Account mail has no preference.
CREATE TABLE notification_preferences (
    user_id   bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    topic     text NOT NULL CHECK (topic IN ('enrolment', 'certificates', 'quizzes', 'announcements')),
    delivery  text NOT NULL CHECK (delivery IN ('immediate', 'digest', 'off')),
    PRIMARY KEY (user_id, topic)
);

-- The secret of each user's unsubscribe links: it stands for the user in
-- List-Unsubscribe URLs, which mail programs open without a session. It
-- is kept as it is put in every notice (it only turns mail off).
CREATE TABLE notification_tokens (
    user_id  bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    token    text NOT NULL UNIQUE CHECK (length(token) >= 32)
);
