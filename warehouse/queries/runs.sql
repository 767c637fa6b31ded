-- Completed and failed runs, newest first: id, started_at, finished_at, status, agencies.
SELECT r.id AS run_id, r.started_at, r.finished_at, r.status,
       count(ar.agency_id) AS agencies
FROM runs AS r
LEFT JOIN agency_runs AS ar ON ar.run_id = r.id
GROUP BY ALL
ORDER BY r.id DESC
