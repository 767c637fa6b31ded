-- Append one row to the audit trail (audit_log is append-only: nothing updates or deletes it).
-- Parameters: $at, $actor, $action, $agency_id, $category_id, $before, $after, $note.
INSERT INTO audit_log (logged_at, actor, action, agency_id, category_id, before, after, note)
VALUES ($at, $actor, $action, $agency_id, $category_id, $before, $after, $note)
RETURNING id
