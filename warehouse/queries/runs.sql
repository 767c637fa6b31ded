-- Completed and failed runs, newest first: id, started_at, finished_at, status, agencies,
-- crawl_mode (full: every agency crawled fully; smart: every agency smartly; mixed) and
-- full_crawls / smart_crawls (agencies crawled each way).
SELECT r.id AS run_id, r.started_at, r.finished_at, r.status,
       count(ar.agency_id) AS agencies,
       count(ar.agency_id) FILTER (WHERE coalesce(ar.crawl_mode, 'full') = 'full') AS full_crawls,
       count(ar.agency_id) FILTER (WHERE ar.crawl_mode = 'smart') AS smart_crawls,
       CASE WHEN count(ar.agency_id) = 0 THEN NULL
            WHEN count(ar.agency_id) FILTER (WHERE ar.crawl_mode = 'smart') = 0 THEN 'full'
            WHEN count(ar.agency_id) FILTER (WHERE coalesce(ar.crawl_mode, 'full') = 'full') = 0
                THEN 'smart'
            ELSE 'mixed' END AS crawl_mode
FROM runs AS r
LEFT JOIN agency_runs AS ar ON ar.run_id = r.id
GROUP BY ALL
ORDER BY r.id DESC
