-- The review gateway (PostgreSQL): users, tokens, projects, tasks, ratings, flags, the audit log.

CREATE TABLE users (
    id             TEXT PRIMARY KEY,
    name           TEXT NOT NULL UNIQUE,
    role           TEXT NOT NULL CHECK (role IN ('admin', 'privacy_officer', 'reviewer', 'ingest', 'trainer')),
    password_hash  TEXT,
    created_at     TEXT NOT NULL,
    disabled       BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE user_projects (
    user_id     TEXT NOT NULL REFERENCES users (id),
    project_id  TEXT NOT NULL,
    PRIMARY KEY (user_id, project_id)
);

-- Sensitive categories a reviewer is cleared to see.
CREATE TABLE user_clearances (
    user_id   TEXT NOT NULL REFERENCES users (id),
    category  TEXT NOT NULL,
    PRIMARY KEY (user_id, category)
);

-- API tokens and login sessions, stored as SHA-256 of the token (tokens are 256 random bits).
CREATE TABLE tokens (
    hash        TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id),
    kind        TEXT NOT NULL CHECK (kind IN ('api', 'session')),
    created_at  TEXT NOT NULL,
    expires_at  TEXT
);

CREATE TABLE projects (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    purpose     TEXT NOT NULL,
    spec        TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

-- One conversation to review. `view` is the minimized, redacted view built from the project's
-- allowlist; `facts` the subject's quasi-identifiers, only ever shown generalized to k.
CREATE TABLE tasks (
    id                TEXT PRIMARY KEY,
    project_id        TEXT NOT NULL REFERENCES projects (id),
    seq               BIGINT NOT NULL,
    conversation_lid  TEXT NOT NULL,
    subject_lid       TEXT,
    view              TEXT NOT NULL,
    facts             TEXT NOT NULL,
    categories        TEXT NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('open', 'assigned', 'done', 'skipped')),
    assigned_to       TEXT,
    assigned_at       TEXT,
    created_at        TEXT NOT NULL
);
CREATE INDEX tasks_open ON tasks (project_id, status, seq);

CREATE TABLE ratings (
    task_id  TEXT NOT NULL REFERENCES tasks (id),
    user_id  TEXT NOT NULL,
    rating   TEXT NOT NULL,
    at       TEXT NOT NULL,
    PRIMARY KEY (task_id, user_id)
);

-- Leftover personal data a reviewer selected: where, not what.
CREATE TABLE flags (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    task_id    TEXT NOT NULL REFERENCES tasks (id),
    project_id TEXT NOT NULL,
    user_id    TEXT NOT NULL,
    message    BIGINT NOT NULL,
    start_cp   BIGINT NOT NULL,
    end_cp     BIGINT NOT NULL,
    at         TEXT NOT NULL
);

-- Values reviewers flagged, redacted from every later ingest of the project. Keyed hash for
-- lookups; the value itself sealed under the store's deny-list key.
CREATE TABLE denylist (
    project_id  TEXT NOT NULL,
    value_hash  TEXT NOT NULL,
    nonce       BYTEA NOT NULL,
    sealed      BYTEA NOT NULL,
    at          TEXT NOT NULL,
    PRIMARY KEY (project_id, value_hash)
);

-- Append-only audit log, hash-chained with a keyed MAC: no content, no personal values.
CREATE TABLE audit (
    seq       BIGINT PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    role      TEXT NOT NULL,
    project   TEXT,
    purpose   TEXT,
    action    TEXT NOT NULL,
    record    TEXT,
    fields    TEXT NOT NULL,
    decision  TEXT NOT NULL,
    prev      TEXT NOT NULL,
    mac       TEXT NOT NULL
);

-- Unusual access raised to privacy officers.
CREATE TABLE alerts (
    id       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at       TEXT NOT NULL,
    actor    TEXT NOT NULL,
    kind     TEXT NOT NULL,
    detail   TEXT NOT NULL,
    resolved BIGINT NOT NULL DEFAULT 0
);

-- The newest audit entry, MACed: deleting entries from the end is detected too.
CREATE TABLE audit_anchor (
    id    BIGINT PRIMARY KEY CHECK (id = 1),
    seq   BIGINT NOT NULL,
    head  TEXT NOT NULL,
    mac   TEXT NOT NULL
);
