-- A subject's review tasks are found by their lineage id: an opt-out withholds them, forget
-- deletes them.
CREATE INDEX tasks_by_subject ON tasks (subject_lid);
