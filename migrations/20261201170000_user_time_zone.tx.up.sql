-- Each user may choose the time zone pages show times in (an IANA name,
-- such as America/Lima); NULL means the installation's (AULA_TIMEZONE).
-- accounts checks the name against the time zone database; the database
-- only refuses what can never be one: an empty name and Go's "Local", the
-- server's own zone, which says nothing about the user.
ALTER TABLE users ADD COLUMN time_zone text
    CONSTRAINT users_time_zone_check CHECK (time_zone <> '' AND time_zone <> 'Local' AND length(time_zone) <= 64);
