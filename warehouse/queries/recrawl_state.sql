-- Each agency's crawl state, for choosing a full or a smart crawl in the next run
-- (flows.schedules.full_crawl_reason): its latest completed run (run_id, reachable,
-- site_changed), when its site was last crawled fully and reached (last_full_at, NULL
-- when never) and the registry URL it was last crawled at (url).
-- Columns: agency_id, run_id, reachable, site_changed, last_full_at, url.
WITH full_crawls AS (
    SELECT agency_id, max(checked_at) AS last_full_at
    FROM completed_agency_runs
    WHERE reachable AND coalesce(crawl_mode, 'full') = 'full'
    GROUP BY agency_id
)
SELECT l.agency_id, l.run_id, l.reachable, coalesce(l.site_changed, false) AS site_changed,
       f.last_full_at, a.url
FROM latest_agency_runs AS l
LEFT JOIN full_crawls AS f ON f.agency_id = l.agency_id
LEFT JOIN agencies AS a ON a.id = l.agency_id
ORDER BY l.agency_id
