-- The `redactor` role (Presidio's routes: /analyze, /anonymize, /deanonymize). SQLite cannot
-- change a CHECK constraint in place: the users table is rebuilt, its rows kept. Foreign keys
-- that name `users` are checked at commit, when every user is back.
PRAGMA defer_foreign_keys = ON;

CREATE TEMP TABLE users_before_0007 AS SELECT * FROM users;
DROP TABLE users;
CREATE TABLE users (
    id             TEXT PRIMARY KEY,
    name           TEXT NOT NULL UNIQUE,
    role           TEXT NOT NULL CHECK (role IN ('admin', 'privacy_officer', 'reviewer', 'ingest', 'trainer', 'redactor')),
    password_hash  TEXT,
    created_at     TEXT NOT NULL,
    disabled       INTEGER NOT NULL DEFAULT 0
);
INSERT INTO users (id, name, role, password_hash, created_at, disabled)
    SELECT id, name, role, password_hash, created_at, disabled FROM users_before_0007;
DROP TABLE users_before_0007;
