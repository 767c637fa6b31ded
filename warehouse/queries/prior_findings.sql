-- Each agency's last known state, for confirming drops and the site-health check: the
-- findings of its last completed run with a reachable site (last_seen_runs), one row per
-- category, with that run's counts. Columns: agency_id, run_id, checked_at, pages,
-- documents, categories_found, platform, category_id, status, evidence_url, evidence_text,
-- page_url, document_year, matched_rule, confirmed, drop_checks. ($published is
-- core.vocabulary.PUBLISHED, filled by queries.run.) status is what the run itself found
-- (crawler_status under a reviewer's override): confirmation compares crawls, not reviews.
SELECT s.agency_id, s.run_id, s.checked_at, s.pages, s.documents,
       coalesce(s.categories_found,
                count(*) FILTER (WHERE list_contains($published, coalesce(f.detector_status, f.status)))
                  OVER (PARTITION BY f.agency_id)) AS categories_found,
       coalesce(s.platform, '') AS platform,
       f.category_id, coalesce(f.crawler_status, f.status) AS status, f.evidence_url, f.evidence_text, f.page_url, f.document_year,
       f.matched_rule, coalesce(f.confirmed, true) AS confirmed,
       coalesce(f.drop_checks, 0) AS drop_checks
FROM last_seen_runs AS s
JOIN findings AS f ON f.agency_id = s.agency_id AND f.run_id = s.run_id
ORDER BY s.agency_id
