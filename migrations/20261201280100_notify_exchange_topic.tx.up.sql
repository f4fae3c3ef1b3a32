-- The exchange of experiences (agendas ready, actions decided) is a topic
-- of its own on the preferences page.
ALTER TABLE notification_preferences
    DROP CONSTRAINT notification_preferences_topic_check,
    ADD CONSTRAINT notification_preferences_topic_check
        CHECK (topic IN ('enrolment', 'certificates', 'quizzes', 'announcements', 'events', 'forums', 'exchange'));
