-- One agency's last known findings: those of its last reachable run (view
-- last_known_findings), in checklist order with the category's group and name, and when they
-- were seen. Empty when the site was never reached. The agency page shows them while the site
-- is unreachable, with their age, never as missing. Parameter: $agency_id.
SELECT k.category_id, c.category_group, c.name AS category_name, c.legal_basis,
       k.status, k.evidence_url, k.evidence_text, k.document_year, k.seen_at, k.run_id,
       k.confirmed
FROM last_known_findings AS k
JOIN categories AS c ON c.id = k.category_id
WHERE k.agency_id = $agency_id
ORDER BY c.position
