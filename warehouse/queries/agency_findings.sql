-- One agency's latest findings, in checklist order, with the category's group and name and
-- when the current evidence was first seen (the earliest run in which this agency's category
-- pointed at the same evidence URL and the category counted as published, $published);
-- confirmed is false while a drop awaits its re-check (detector_status says what the
-- detector saw). status_source 'override': a reviewer's status, with review_reason, reviewer
-- and reviewed_at. Parameter: $agency_id ($published is core.vocabulary.PUBLISHED, filled by
-- queries.run).
SELECT f.category_id, c.category_group, c.name AS category_name, c.legal_basis,
       f.status, f.evidence_url, f.evidence_text, f.document_year, f.checked_at, f.run_id,
       f.confirmed, f.detector_status, f.status_source,
       CASE WHEN f.status_source = 'override' THEN r.review_reason END AS review_reason,
       CASE WHEN f.status_source = 'override' THEN r.reviewer END AS reviewer,
       CASE WHEN f.status_source = 'override' THEN r.reviewed_at END AS reviewed_at,
       (SELECT min(h.checked_at) FROM findings AS h
         WHERE h.agency_id = f.agency_id AND h.category_id = f.category_id
           AND h.evidence_url = f.evidence_url AND list_contains($published, h.status)) AS first_seen
FROM latest_findings AS f
JOIN categories AS c ON c.id = f.category_id
LEFT JOIN latest_finding_reviews AS r
  ON r.agency_id = f.agency_id AND r.category_id = f.category_id
WHERE f.agency_id = $agency_id
ORDER BY c.position
