-- A dataset is registered, with its shards and holdings, as 'pending' before its manifest
-- commits, and becomes 'ready' after: a run killed in between leaves a dataset the store knows
-- (so forget reaches it) and that `scrim datasets recover` adopts or cleans.
ALTER TABLE datasets ADD COLUMN state TEXT NOT NULL DEFAULT 'ready';
