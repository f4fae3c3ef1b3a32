-- The library topic goes: who chose a delivery for it gets the default
-- back if the topic returns.
DELETE FROM notification_preferences WHERE topic = 'library';
ALTER TABLE notification_preferences
    DROP CONSTRAINT notification_preferences_topic_check,
    ADD CONSTRAINT notification_preferences_topic_check
        CHECK (topic IN ('enrolment', 'certificates', 'quizzes', 'announcements', 'events', 'forums', 'exchange'));
