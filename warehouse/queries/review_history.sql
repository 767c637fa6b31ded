-- Every review with its state (view review_history), newest first: review_id, agency_id,
-- agency_name, category_id, category_name, kind, status, replaced_status, detector_status,
-- evidence_url, evidence_sha256, reason, reviewer, created_at, judged_run_id, state
-- (active, lapsed, revoked), lapsed_at, lapse_reason, revoked_at, revoked_by, version.
-- Parameter: $agency_id (NULL: every agency).
SELECT * FROM review_history
WHERE $agency_id IS NULL OR agency_id = $agency_id
ORDER BY created_at DESC, review_id DESC
