-- The overrides in force, newest first (view active_overrides): review_id, agency_id,
-- agency_name, category_id, category_name, status (the reviewer's), replaced_status,
-- detector_status and evidence_sha256 (what it judged), evidence_url, reason, reviewer,
-- created_at, judged_run_id, version, latest_run_id, latest_detector_status, applied
-- (false while the agency's latest run could not reach its site).
SELECT * FROM active_overrides ORDER BY created_at DESC, review_id DESC
