-- The open declarations every crawl checks (not withdrawn), oldest first.
-- Columns: declaration_id, agency_id, category_id, url. No parameters.
SELECT id AS declaration_id, agency_id, category_id, url
FROM declarations
WHERE withdrawn_at IS NULL
ORDER BY agency_id, category_id, id
