-- Compare-and-set of a finding's review: the finding takes review $review_id only if it
-- still carries $expected_review_id (NULL: none), so of two reviewers saving the same
-- finding one wins. $status NULL keeps the status (a confirmation); otherwise the status
-- becomes $status with source 'override', what the run said kept in crawler_status/source.
-- Returns the row as it became (no row: someone else saved first).
-- Parameters: $run_id, $agency_id, $category_id, $expected_review_id, $review_id, $status.
UPDATE findings
SET crawler_status = CASE WHEN $status IS NULL THEN crawler_status
                          ELSE coalesce(crawler_status, status) END,
    crawler_source = CASE WHEN $status IS NULL THEN crawler_source
                          ELSE coalesce(crawler_source, status_source, 'crawler') END,
    status = coalesce($status, status),
    status_source = CASE WHEN $status IS NULL THEN status_source ELSE 'override' END,
    review_id = $review_id
WHERE run_id = $run_id AND agency_id = $agency_id AND category_id = $category_id
  AND review_id IS NOT DISTINCT FROM $expected_review_id
RETURNING status, status_source, crawler_status, review_id
