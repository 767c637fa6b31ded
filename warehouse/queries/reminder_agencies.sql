-- Each agency's latest completed run as the reminders see it, one row per agency:
-- agency_id, name, email, role, parent, url, run_id, reachable, score, band, checked_at, error
-- (why the site was unreachable: "diblokir: HTTP 403 …", a timeout, DNS …).
-- (score and band as in latest_scores: NULL when the site could not be crawled; run_id and
-- the rest NULL for an agency that was never crawled.)
SELECT a.id AS agency_id, a.name, a.email, a.role, a.parent, a.url,
       l.run_id, l.reachable, s.score, s.band, l.checked_at, l.error
FROM agencies AS a
LEFT JOIN latest_agency_runs AS l ON l.agency_id = a.id
LEFT JOIN latest_scores AS s ON s.agency_id = a.id
ORDER BY a.id
