-- The monitored agencies (those with at least one completed run) with their PPID Utama's
-- name, by name. Columns: agency_id, name, url, role, parent, parent_name.
SELECT a.id AS agency_id, a.name, a.url, a.role, a.parent, p.name AS parent_name
FROM agencies AS a
LEFT JOIN agencies AS p ON p.id = a.parent
WHERE a.id IN (SELECT agency_id FROM completed_agency_runs)
ORDER BY a.name, a.id
