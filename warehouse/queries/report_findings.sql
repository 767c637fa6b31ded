-- Every agency's latest findings with the category's group, name, weight, position and
-- legal basis: agency_id, category_id, category_group, category_name, weight, position,
-- legal_basis, status, evidence_url, evidence_text, document_year, checked_at, run_id,
-- status_source ('override': a reviewer's status, with review_reason, reviewer, reviewed_at).
SELECT f.agency_id, f.category_id, c.category_group, c.name AS category_name, c.weight,
       c.position, c.legal_basis, f.status, f.evidence_url, f.evidence_text, f.document_year,
       f.checked_at, f.run_id, f.status_source, r.review_reason, r.reviewer, r.reviewed_at
FROM latest_findings AS f
JOIN categories AS c ON c.id = f.category_id
LEFT JOIN latest_finding_reviews AS r
  ON r.agency_id = f.agency_id AND r.category_id = f.category_id AND r.review_kind = 'override'
ORDER BY f.agency_id, c.position
