-- Scrim governance store, version 1 (SQLite).

-- Consent history: never updated, only appended. The latest event per subject and purpose
-- (or per subject and '*', which stands for every purpose) is in force.
CREATE TABLE consent_events (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    subject   TEXT NOT NULL,
    purpose   TEXT NOT NULL,
    decision  TEXT NOT NULL CHECK (decision IN ('grant', 'deny')),
    actor     TEXT NOT NULL,
    note      TEXT,
    at        TEXT NOT NULL
);
CREATE INDEX consent_events_by_subject ON consent_events (subject, seq);

-- Subjects seen by a store-backed run, with their keyed lineage id.
CREATE TABLE subjects (
    subject     TEXT PRIMARY KEY,
    lineage_id  TEXT NOT NULL UNIQUE,
    first_seen  TEXT NOT NULL
);

-- Keys of the store itself (lineage ids, pseudonyms), wrapped by a master key.
CREATE TABLE store_keys (
    name        TEXT NOT NULL,
    version     INTEGER NOT NULL,
    master_id   TEXT NOT NULL,
    nonce       BLOB NOT NULL,
    wrapped     BLOB NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (name, version)
);

-- One data key per subject for retained raw records. Forgetting clears it (crypto-shredding).
CREATE TABLE subject_keys (
    subject       TEXT PRIMARY KEY,
    master_id     TEXT,
    nonce         BLOB,
    wrapped       BLOB,
    created_at    TEXT NOT NULL,
    destroyed_at  TEXT
);

-- Datasets written by `scrim redact --store`: a directory of immutable shards and a manifest.
CREATE TABLE datasets (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE,
    path         TEXT NOT NULL,
    purpose      TEXT NOT NULL,
    policy       TEXT NOT NULL,
    key_version  INTEGER NOT NULL,
    created_at   TEXT NOT NULL
);

CREATE TABLE shards (
    dataset_id  TEXT NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
    shard       INTEGER NOT NULL,
    file        TEXT NOT NULL,
    generation  INTEGER NOT NULL,
    records     INTEGER NOT NULL,
    sha256      TEXT NOT NULL,
    PRIMARY KEY (dataset_id, shard)
);

-- Which subjects (by lineage id) each shard holds, and how many of their records.
CREATE TABLE holdings (
    dataset_id  TEXT NOT NULL,
    shard       INTEGER NOT NULL,
    lineage_id  TEXT NOT NULL,
    records     INTEGER NOT NULL,
    PRIMARY KEY (dataset_id, shard, lineage_id)
);
CREATE INDEX holdings_by_subject ON holdings (lineage_id);

-- A subject to be removed from derived datasets (all of them, or those of one purpose).
CREATE TABLE tombstones (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    subject     TEXT NOT NULL,
    lineage_id  TEXT,
    kind        TEXT NOT NULL CHECK (kind IN ('forget', 'optout', 'revoke')),
    purpose     TEXT,
    actor       TEXT NOT NULL,
    at          TEXT NOT NULL
);

-- Each shard a tombstone must be removed from; done when a compaction has rewritten it.
CREATE TABLE tombstone_targets (
    tombstone_id  INTEGER NOT NULL REFERENCES tombstones (id),
    dataset_id    TEXT NOT NULL,
    shard         INTEGER NOT NULL,
    done_at       TEXT,
    receipt_id    INTEGER,
    PRIMARY KEY (tombstone_id, dataset_id, shard)
);
CREATE INDEX tombstone_targets_pending ON tombstone_targets (dataset_id, done_at);

-- Deletion receipts: what was removed where and when, without content.
CREATE TABLE receipts (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    dataset_id  TEXT NOT NULL,
    actor       TEXT NOT NULL,
    at          TEXT NOT NULL,
    body        TEXT NOT NULL
);
