-- The audit trail, newest first: every declaration, refusal, review, override, lapse and
-- user change with who, when (with its zone), what it was and what it became.
-- Parameters: $agency_id (NULL: every agency), $limit.
SELECT id, logged_at, actor, action, agency_id, category_id, before, after, note
FROM audit_log
WHERE $agency_id IS NULL OR agency_id = $agency_id
ORDER BY id DESC
LIMIT $limit
