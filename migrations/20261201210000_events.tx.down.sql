DROP TABLE event_calendar_feeds;
DROP TABLE event_attendance;
DROP TABLE event_registrations;
DROP TABLE event_sessions;
DROP TABLE event_organisers;
DROP TABLE events;
