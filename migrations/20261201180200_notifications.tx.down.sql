DROP TABLE notification_tokens;
DROP TABLE notification_preferences;
DROP TABLE notifications;
