-- 0013: API tokens expire (issue 18). A token made before this migration
-- lives 365 days from its creation, the default of `token create --days`.
ALTER TABLE api_tokens ADD COLUMN expires_at INTEGER NOT NULL DEFAULT 0;
UPDATE api_tokens SET expires_at = created_at + 365 * 86400;
