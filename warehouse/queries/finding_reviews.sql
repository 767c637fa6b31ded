-- One agency's latest findings as a reviewer sees them, in checklist order: category_id,
-- category_name, run_id, status (effective), status_source, detector_status, crawler_status,
-- evidence_url, evidence_sha256, review_id, review_kind, review_status, replaced_status,
-- review_reason, reviewer, reviewed_at, review_version. Parameter: $agency_id.
SELECT r.category_id, c.name AS category_name, r.run_id, r.status, r.status_source,
       r.detector_status, r.crawler_status, r.evidence_url, r.evidence_sha256, r.review_id,
       r.review_kind, r.review_status, r.replaced_status, r.review_reason, r.reviewer,
       r.reviewed_at, r.review_version
FROM latest_finding_reviews AS r
JOIN categories AS c ON c.id = r.category_id
WHERE r.agency_id = $agency_id
ORDER BY c.position
