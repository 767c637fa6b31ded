-- Overrides in force whose finding in run $run_id no longer shows what they judged, and so
-- lapse by themselves: the detector's status differs (detector_changed), or the evidence's
-- SHA-256 differs while both hashes are known (evidence_changed). A run that could not reach
-- the site judges nothing. Read inside the run's transaction; each is then closed with
-- review_lapse. Parameter: $run_id.
SELECT r.id, r.agency_id, r.category_id, r.status, r.detector_status, r.evidence_sha256,
       CASE WHEN coalesce(f.detector_status, f.status) IS DISTINCT FROM r.detector_status
            THEN 'detector_changed' ELSE 'evidence_changed' END AS lapse_reason,
       coalesce(f.detector_status, f.status) AS new_detector_status,
       f.evidence_sha256 AS new_evidence_sha256, f.review_id AS carried_by_finding
FROM reviews AS r
JOIN findings AS f
  ON f.run_id = $run_id AND f.agency_id = r.agency_id AND f.category_id = r.category_id
WHERE r.kind = 'override' AND r.lapsed_at IS NULL AND r.revoked_at IS NULL
  AND coalesce(f.detector_status, f.status) <> 'unreachable'
  AND (coalesce(f.detector_status, f.status) IS DISTINCT FROM r.detector_status
       OR (f.evidence_sha256 IS NOT NULL AND r.evidence_sha256 IS NOT NULL
           AND f.evidence_sha256 <> r.evidence_sha256))
ORDER BY r.id
