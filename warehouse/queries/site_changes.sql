-- Every run marked "situs berubah", newest first: agency_id, name, run_id, checked_at,
-- platform, previous_platform, health_note.
SELECT h.agency_id, a.name, h.run_id, h.checked_at, h.platform, h.previous_platform,
       h.health_note
FROM site_health AS h
JOIN agencies AS a ON a.id = h.agency_id
WHERE h.site_changed
ORDER BY h.run_id DESC, a.name
