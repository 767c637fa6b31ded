-- Every agency's latest score with its previous score and the change: the overview ranking.
-- Columns: agency_id, name, role, parent, score, band, previous_score, delta, run_id, checked_at,
-- error (why the latest run could not check the site, e.g. "diblokir: HTTP 403 …").
WITH ranked AS (
    SELECT agency_id, run_id, score, band, checked_at, error,
           row_number() OVER (PARTITION BY agency_id ORDER BY run_id DESC) AS recency
    FROM completed_agency_runs
)
SELECT a.id AS agency_id, a.name, a.role, a.parent,
       latest.score, latest.band,
       previous.score AS previous_score,
       round(latest.score - previous.score, 2) AS delta,
       latest.run_id, latest.checked_at, latest.error
FROM ranked AS latest
JOIN agencies AS a ON a.id = latest.agency_id
LEFT JOIN ranked AS previous ON previous.agency_id = latest.agency_id AND previous.recency = 2
WHERE latest.recency = 1
ORDER BY latest.score DESC NULLS LAST, a.name
