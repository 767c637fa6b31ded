-- 0005: the latest findings with the agency's and the category's names, for analysts and
-- exports that are read without joining (spreadsheets, the 1.5 duckdb shell, BI tools).
CREATE VIEW latest_findings_named AS
SELECT f.agency_id, a.name AS agency_name, a.role AS agency_role, a.parent AS agency_parent,
       f.category_id, c.name AS category_name, c.category_group, c.legal_basis,
       f.status, f.evidence_url, f.evidence_text, f.document_year, f.checked_at, f.run_id
FROM latest_findings AS f
JOIN agencies AS a ON a.id = f.agency_id
JOIN categories AS c ON c.id = f.category_id;
