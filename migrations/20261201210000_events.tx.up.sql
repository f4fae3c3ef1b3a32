-- Seminars, workshops and webinars: events with sessions, registrations
-- (capacity, waitlist, approval), attendance per session, and the personal
-- calendar feeds of participants. Closing an event issues certificates of
-- participation (see 20261201210100_participation_certificates).

-- Sessions of one event must not overlap: an exclusion constraint on the
-- time ranges, per event.
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE events (
    id                      bigserial PRIMARY KEY,
    title                   text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    summary                 text NOT NULL DEFAULT '' CHECK (length(summary) <= 5000),
    language                text NOT NULL CHECK (language IN ('es', 'pt', 'en')),
    kind                    text NOT NULL CHECK (kind IN ('seminar', 'workshop', 'webinar')),
    -- IANA name; sessions are shown and exported in it.
    time_zone               text NOT NULL CHECK (length(time_zone) BETWEEN 1 AND 64),
    -- Places; NULL: as many as register.
    capacity                integer CHECK (capacity BETWEEN 1 AND 100000),
    registration            text NOT NULL CHECK (registration IN ('open', 'approval')),
    -- Share of sessions a participant must attend for a certificate.
    min_attendance_percent  integer NOT NULL CHECK (min_attendance_percent BETWEEN 0 AND 100),
    -- How long before a session starts and after it ends a check-in code works.
    checkin_margin_minutes  integer NOT NULL DEFAULT 15 CHECK (checkin_margin_minutes BETWEEN 0 AND 240),
    status                  text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'closed')),
    created_by              bigint REFERENCES users (id) ON DELETE SET NULL,
    published_at            timestamptz,
    closed_at               timestamptz,
    closed_by               bigint REFERENCES users (id) ON DELETE SET NULL,
    certificates_issued     integer CHECK (certificates_issued >= 0),
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    search                  tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('aula_search', title), 'A') ||
        setweight(to_tsvector('aula_search', summary), 'B')
    ) STORED,
    CHECK ((status = 'closed') = (closed_at IS NOT NULL)),
    CHECK ((status = 'draft') = (published_at IS NULL))
);
CREATE INDEX events_search_idx ON events USING gin (search) WITH (fastupdate = off);
CREATE INDEX events_status_idx ON events (status, language);

-- Who organises an event besides admins: its creator and co-organisers.
CREATE TABLE event_organisers (
    event_id  bigint NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    user_id   bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (event_id, user_id)
);
CREATE INDEX event_organisers_user_id_idx ON event_organisers (user_id);

CREATE TABLE event_sessions (
    id              bigserial PRIMARY KEY,
    event_id        bigint NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    title           text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    starts_at       timestamptz NOT NULL,
    ends_at         timestamptz NOT NULL,
    location        text NOT NULL DEFAULT '' CHECK (length(location) <= 300),
    online_url      text NOT NULL DEFAULT '' CHECK (length(online_url) <= 1000),
    -- Key of the rotating check-in codes (HMAC-SHA256); never shown.
    checkin_secret  bytea NOT NULL CHECK (length(checkin_secret) = 32),
    created_at      timestamptz NOT NULL DEFAULT now(),
    CHECK (ends_at > starts_at),
    CONSTRAINT event_sessions_no_overlap EXCLUDE USING gist (event_id WITH =, tstzrange(starts_at, ends_at) WITH &&)
);
CREATE INDEX event_sessions_starts_at_idx ON event_sessions (starts_at);

-- One row per participant and event; cancelling deletes it, so a person
-- may register again. waitlisted rows are promoted in created_at order.
CREATE TABLE event_registrations (
    id          bigserial PRIMARY KEY,
    event_id    bigint NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    user_id     bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status      text NOT NULL CHECK (status IN ('registered', 'waitlisted', 'pending')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT event_registrations_event_user_key UNIQUE (event_id, user_id)
);
CREATE INDEX event_registrations_queue_idx ON event_registrations (event_id, status, created_at, id);
CREATE INDEX event_registrations_user_id_idx ON event_registrations (user_id);

-- Attendance of one person at one session, however it was taken.
CREATE TABLE event_attendance (
    session_id  bigint NOT NULL REFERENCES event_sessions (id) ON DELETE CASCADE,
    user_id     bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status      text NOT NULL CHECK (status IN ('present', 'late', 'excused', 'absent')),
    -- Minutes attended, when known (a video-conference report).
    minutes     integer CHECK (minutes BETWEEN 0 AND 1440),
    source      text NOT NULL CHECK (source IN ('manual', 'import', 'checkin')),
    marked_by   bigint REFERENCES users (id) ON DELETE SET NULL,
    marked_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (session_id, user_id)
);

-- A participant's calendar feed: calendar programs cannot sign in, so the
-- feed URL carries a secret token (read-only; the owner can replace it).
CREATE TABLE event_calendar_feeds (
    user_id     bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    token       text NOT NULL UNIQUE CHECK (length(token) = 43),
    created_at  timestamptz NOT NULL DEFAULT now()
);
