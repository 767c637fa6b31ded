-- One agency's statuses and category weights in one run, to score it again after a review.
-- Columns: category_id, status, weight. Parameters: $run_id, $agency_id.
SELECT f.category_id, f.status, c.weight
FROM findings AS f
JOIN categories AS c ON c.id = f.category_id
WHERE f.run_id = $run_id AND f.agency_id = $agency_id
