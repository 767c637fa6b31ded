-- One agency's score in every completed run. Parameter: $agency_id.
SELECT run_id, checked_at, score, band
FROM score_history
WHERE agency_id = $agency_id
ORDER BY run_id
