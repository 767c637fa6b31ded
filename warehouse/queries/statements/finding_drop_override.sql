-- Take override $review_id off the finding of run $run_id that carries it: the status and
-- source go back to what the run itself said. Returns the restored rows.
-- Parameters: $run_id, $review_id.
UPDATE findings
SET status = coalesce(crawler_status, status),
    status_source = coalesce(crawler_source, 'crawler'),
    crawler_status = NULL, crawler_source = NULL, review_id = NULL
WHERE run_id = $run_id AND review_id = $review_id AND status_source = 'override'
RETURNING agency_id, category_id, status, status_source
