-- A new run's finding carries an override in force (written by the crawl in the run's own
-- transaction): the run's status is kept in crawler_status/source.
-- Parameters: $run_id, $agency_id, $category_id, $review_id, $crawler_status.
UPDATE findings
SET crawler_status = $crawler_status,
    crawler_source = coalesce(status_source, 'crawler'),
    status_source = 'override', review_id = $review_id
WHERE run_id = $run_id AND agency_id = $agency_id AND category_id = $category_id
RETURNING status
