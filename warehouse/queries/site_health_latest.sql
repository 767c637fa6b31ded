-- The health page: every agency's latest run against its previous reachable run, with its
-- reachability. Columns: agency_id, name, run_id, checked_at, reachable, error, pages,
-- previous_pages, documents, previous_documents, categories_found,
-- previous_categories_found, platform, previous_platform, evidence_checked, evidence_alive,
-- site_changed, health_note, last_seen_at, unreachable_since, unreachable_runs, crawl_mode
-- (full or smart) and crawl_reason (why full) of the latest run.
SELECT r.agency_id, a.name, r.run_id, r.checked_at, r.reachable, r.error,
       h.pages, h.previous_pages, h.documents, h.previous_documents,
       h.categories_found, h.previous_categories_found, h.platform, h.previous_platform,
       h.evidence_checked, h.evidence_alive, coalesce(h.site_changed, false) AS site_changed,
       h.health_note, r.last_seen_at, r.unreachable_since, r.unreachable_runs,
       ar.crawl_mode, ar.crawl_reason
FROM agency_reachability AS r
JOIN agencies AS a ON a.id = r.agency_id
LEFT JOIN site_health AS h ON h.agency_id = r.agency_id AND h.run_id = r.run_id
LEFT JOIN agency_runs AS ar ON ar.agency_id = r.agency_id AND ar.run_id = r.run_id
ORDER BY coalesce(h.site_changed, false) DESC, r.reachable, a.name
