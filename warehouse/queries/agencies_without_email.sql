-- Monitored agencies (with a completed run) that have no e-mail address in the registry:
-- they receive no reminder. Columns: agency_id, name, role, parent_name.
SELECT a.id AS agency_id, a.name, a.role, p.name AS parent_name
FROM agencies AS a
LEFT JOIN agencies AS p ON p.id = a.parent
WHERE coalesce(trim(a.email), '') = ''
  AND a.id IN (SELECT agency_id FROM completed_agency_runs)
ORDER BY a.name, a.id
