-- The latest finding of one (agency, category) as a reviewer judges it, read inside the
-- review's transaction: run_id and review_id are the compare-and-set token of a save.
-- Columns: agency_id, category_id, run_id, status, status_source, detector_status,
-- crawler_status, crawler_source, evidence_url, evidence_sha256, review_id, review_kind,
-- review_status, replaced_status, review_reason, reviewer, reviewed_at, review_version.
-- Parameters: $agency_id, $category_id.
SELECT * FROM latest_finding_reviews
WHERE agency_id = $agency_id AND category_id = $category_id
