-- A new run's finding carries an override in force (written by the crawl in the run's own
-- transaction): its status becomes the reviewer's, source 'override'; what the run itself
-- found is kept in crawler_status/source (SET reads the row as it was).
-- Parameters: $run_id, $agency_id, $category_id, $review_id, $status.
UPDATE findings
SET crawler_status = status,
    crawler_source = coalesce(status_source, 'crawler'),
    status = $status, status_source = 'override', review_id = $review_id
WHERE run_id = $run_id AND agency_id = $agency_id AND category_id = $category_id
RETURNING crawler_status
