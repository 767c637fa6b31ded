-- Each agency's score in its latest completed run (NULL when its site could not be crawled):
-- agency_id, score. The baseline a new run's summary compares with.
SELECT agency_id, score
FROM latest_scores
ORDER BY agency_id
