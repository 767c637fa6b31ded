-- Open claims (an OPD's "klaim bukti"): every open declaration with its latest check.
-- One row per open declaration: declaration_id, agency_id, agency_name, category_id,
-- category_name, url, note, source ('file' or 'form'), declared_by, declared_at,
-- checked_run_id, checked_at, confirmed (NULL: no crawl has checked it yet), reason
-- (Indonesian: why it is not confirmed, or what confirmed it), status_code, content_type,
-- status (the category's effective status in the agency's latest run) and status_source.
-- Unconfirmed first (they await review), then never checked, then confirmed.
-- Parameters: $agency_id (NULL: every agency).
WITH last_check AS (
    SELECT *
    FROM declaration_checks
    QUALIFY row_number() OVER (PARTITION BY declaration_id ORDER BY run_id DESC) = 1
)
SELECT d.id AS declaration_id, d.agency_id, a.name AS agency_name, d.category_id,
       c.name AS category_name, d.url, d.note, d.source, d.declared_by, d.declared_at,
       k.run_id AS checked_run_id, k.checked_at, k.confirmed, k.reason, k.status_code,
       k.content_type, f.status, f.status_source
FROM declarations AS d
LEFT JOIN agencies AS a ON a.id = d.agency_id
LEFT JOIN categories AS c ON c.id = d.category_id
LEFT JOIN last_check AS k ON k.declaration_id = d.id
LEFT JOIN latest_findings AS f ON f.agency_id = d.agency_id AND f.category_id = d.category_id
WHERE d.withdrawn_at IS NULL
  AND ($agency_id IS NULL OR d.agency_id = $agency_id)
ORDER BY CASE WHEN k.confirmed = false THEN 0 WHEN k.confirmed IS NULL THEN 1 ELSE 2 END,
         d.agency_id, c.position, d.category_id
