-- The library's decisions on members' submissions (accepted, changes asked
-- for, declined) are a topic of their own on the preferences page.
ALTER TABLE notification_preferences
    DROP CONSTRAINT notification_preferences_topic_check,
    ADD CONSTRAINT notification_preferences_topic_check
        CHECK (topic IN ('enrolment', 'certificates', 'quizzes', 'announcements', 'events', 'forums', 'exchange', 'library'));
