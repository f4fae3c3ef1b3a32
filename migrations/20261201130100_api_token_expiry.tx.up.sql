-- API tokens expire. Tokens made before this have no expiry: they get the
-- default lifetime (90 days) from their creation, and at least 30 days from
-- now, so integrations in use keep working long enough to be renewed.
-- A name lets the owner tell their tokens apart in the list.
ALTER TABLE api_tokens ADD COLUMN expires_at timestamptz;
ALTER TABLE api_tokens ADD COLUMN name text NOT NULL DEFAULT '' CHECK (length(name) <= 100);
UPDATE api_tokens SET expires_at = greatest(created_at + interval '90 days', now() + interval '30 days');
ALTER TABLE api_tokens ALTER COLUMN expires_at SET NOT NULL;
