-- Score moves per agency between two runs: $from_run and $to_run.
SELECT t.agency_id, a.name AS agency_name, f.score AS from_score, t.score AS to_score,
       round(t.score - f.score, 2) AS delta, f.band AS from_band, t.band AS to_band
FROM agency_runs AS t
JOIN agency_runs AS f ON f.agency_id = t.agency_id AND f.run_id = $from_run
JOIN agencies AS a ON a.id = t.agency_id
WHERE t.run_id = $to_run
ORDER BY delta NULLS LAST, a.name
