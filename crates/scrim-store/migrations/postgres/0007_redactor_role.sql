-- The `redactor` role (Presidio's routes: /analyze, /anonymize, /deanonymize).
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check
    CHECK (role IN ('admin', 'privacy_officer', 'reviewer', 'ingest', 'trainer', 'redactor'));
