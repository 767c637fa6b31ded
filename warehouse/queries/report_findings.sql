-- Every agency's latest findings with the category's group, name, weight, position and
-- legal basis: agency_id, category_id, category_group, category_name, weight, position,
-- legal_basis, status, evidence_url, evidence_text, document_year, checked_at, run_id.
SELECT f.agency_id, f.category_id, c.category_group, c.name AS category_name, c.weight,
       c.position, c.legal_basis, f.status, f.evidence_url, f.evidence_text, f.document_year,
       f.checked_at, f.run_id
FROM latest_findings AS f
JOIN categories AS c ON c.id = f.category_id
ORDER BY f.agency_id, c.position
