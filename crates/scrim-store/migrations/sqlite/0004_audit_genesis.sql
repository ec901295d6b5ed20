-- The audit log's genesis: an anchor at entry 0 from the start, so a log whose every entry and
-- anchor were deleted no longer reads as a log that was never written ("the anchor is missing").
-- The genesis carries no MAC (the audit key is not known here); `scrim audit verify` accepts it
-- only for an empty log in a store that shows no gateway activity.
INSERT INTO audit_anchor (id, seq, head, mac)
SELECT 1, 0, 'genesis', 'genesis'
WHERE NOT EXISTS (SELECT 1 FROM audit_anchor WHERE id = 1);
