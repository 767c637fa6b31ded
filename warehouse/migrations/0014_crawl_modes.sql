-- 0014: smart recrawl (issue 16). Forward-only.
--
-- agency_runs.crawl_mode: 'full' (every URL of the site asked again) or 'smart' (only what
-- may have changed was asked: the start page, the last run's evidence and the pages leading
-- to it, pages whose sitemap lastmod changed, new pages; the rest of the last run reused
-- unasked). crawl_reason says why an agency got a full crawl (Indonesian, shown on the
-- dashboard: putaran pertama, jadwal crawl penuh, situs berubah …); NULL for a smart one.
-- A run's mode (full, smart or mixed) is derived from its agencies (named query runs).
-- Every run before this migration asked every URL: full.
ALTER TABLE agency_runs ADD COLUMN crawl_mode VARCHAR;
ALTER TABLE agency_runs ADD COLUMN crawl_reason VARCHAR;
UPDATE agency_runs SET crawl_mode = 'full' WHERE crawl_mode IS NULL;
