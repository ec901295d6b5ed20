-- Changes an admin proposes that need a privacy officer's approval: privileged accounts (a
-- reviewer's projects and clearances, privacy officers, admins, trainers, their passwords) and
-- project views that show more. `change` holds what was asked (never a password); `secret` a
-- proposed password's argon2 hash, never returned; `base` the project's spec the change was
-- proposed against (approving a change to a project that changed since is refused).
CREATE TABLE approvals (
    id           TEXT PRIMARY KEY,
    kind         TEXT NOT NULL CHECK (kind IN ('user.create', 'user.update', 'project.update')),
    target       TEXT NOT NULL,
    change       TEXT NOT NULL,
    secret       TEXT,
    base         TEXT,
    reasons      TEXT NOT NULL,
    proposed_by  TEXT NOT NULL,
    proposed_at  TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    decided_by   TEXT,
    decided_at   TEXT
);
CREATE INDEX approvals_status ON approvals (status, proposed_at);
