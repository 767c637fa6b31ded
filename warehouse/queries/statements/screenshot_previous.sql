-- The screenshot already kept for one finding of one run, if any (the audit row's "before").
-- Parameters: $run_id, $agency_id, $category_id.
SELECT run_id, agency_id, category_id, url, path, sha256, taken_by, taken_at
FROM evidence_screenshots
WHERE run_id = $run_id AND agency_id = $agency_id AND category_id = $category_id
