-- Keep a screenshot of a finding's evidence page with its run (a new one for the same finding
-- of the same run replaces the row; the audit trail keeps both). path is relative to the
-- database's folder. Parameters: $run_id, $agency_id, $category_id, $url, $path, $sha256,
-- $taken_by, $taken_at.
INSERT OR REPLACE INTO evidence_screenshots
    (run_id, agency_id, category_id, url, path, sha256, taken_by, taken_at)
VALUES ($run_id, $agency_id, $category_id, $url, $path, $sha256, $taken_by, $taken_at)
