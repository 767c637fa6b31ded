-- The overrides in force (neither lapsed nor revoked), for the crawl to carry into a new
-- run. Columns: id, agency_id, category_id, status, detector_status, evidence_sha256.
SELECT id, agency_id, category_id, status, detector_status, evidence_sha256
FROM reviews
WHERE kind = 'override' AND lapsed_at IS NULL AND revoked_at IS NULL
ORDER BY id
