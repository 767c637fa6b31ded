-- Each agency's latest completed run as the reminders see it, one row per agency:
-- agency_id, name, email, role, parent, url, run_id, reachable, score, band, checked_at, error
-- (why the site was unreachable: "diblokir: HTTP 403 …", a timeout, DNS …).
-- (score and band as in latest_scores: NULL when the site could not be crawled; run_id and
-- the rest NULL for an agency that was never crawled.) site_changed: the latest run found the
-- site changed ("situs berubah"): its reminders are held for review. last_seen_at: when the
-- site was last reached; unreachable_since: the first unreachable run after that (NULL while
-- reachable) — the digest's "long unreachable" and the age of the last known findings.
SELECT a.id AS agency_id, a.name, a.email, a.role, a.parent, a.url,
       l.run_id, l.reachable, s.score, s.band, l.checked_at, l.error,
       coalesce(l.site_changed, false) AS site_changed,
       r.last_seen_at, r.unreachable_since
FROM agencies AS a
LEFT JOIN latest_agency_runs AS l ON l.agency_id = a.id
LEFT JOIN latest_scores AS s ON s.agency_id = a.id
LEFT JOIN agency_reachability AS r ON r.agency_id = a.id
ORDER BY a.id
