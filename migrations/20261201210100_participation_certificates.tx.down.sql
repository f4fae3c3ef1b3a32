-- Rolling back drops event_id, so the refusal names certificates.event_id
-- exactly when certificates of participation exist; they go with it.
DELETE FROM certificate_events WHERE certificate_id IN (SELECT id FROM certificates WHERE event_id IS NOT NULL);
DELETE FROM certificates WHERE event_id IS NOT NULL;
DROP INDEX certificates_event_id_idx;
DROP INDEX certificates_user_event_key;
ALTER TABLE certificates DROP CONSTRAINT certificates_kind_check;
ALTER TABLE certificates ALTER COLUMN course_id SET NOT NULL;
ALTER TABLE certificates DROP COLUMN started_at, DROP COLUMN event_id;
