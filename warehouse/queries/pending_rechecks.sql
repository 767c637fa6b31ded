-- The drops awaiting a re-check in each agency's latest run (held_reason 'unconfirmed'), for
-- the scheduled re-check (`trust.recheck_after_hours`). Columns: run_id, agency_id,
-- category_id, evidence_url, detector_status, drop_checks, insecure_tls, agency_url. A finding
-- carrying a reviewer's override is left alone (the override lapses if the detector changes).
SELECT f.run_id, f.agency_id, f.category_id, f.evidence_url, f.detector_status,
       coalesce(f.drop_checks, 0) AS drop_checks, a.insecure_tls, a.url AS agency_url
FROM findings AS f
JOIN latest_agency_runs AS l ON l.agency_id = f.agency_id AND l.run_id = f.run_id
JOIN agencies AS a ON a.id = f.agency_id
WHERE f.held_reason = 'unconfirmed'
  AND coalesce(f.status_source, 'crawler') <> 'override'  -- a reviewer's status stands
ORDER BY f.agency_id, f.category_id
