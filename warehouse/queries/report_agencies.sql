-- Every monitored agency's latest completed result with what a report prints about it:
-- agency_id, name, url, email, role, parent, parent_name, run_id, reachable, error, pages,
-- documents, score, band, checked_at, previous_score (its result in the run before).
WITH ranked AS (
    SELECT *, row_number() OVER (PARTITION BY agency_id ORDER BY run_id DESC) AS recency
    FROM completed_agency_runs
)
SELECT a.id AS agency_id, a.name, a.url, a.email, a.role, a.parent, p.name AS parent_name,
       l.run_id, l.reachable, l.error, l.pages, l.documents, l.score, l.band, l.checked_at,
       prev.score AS previous_score
FROM ranked AS l
JOIN agencies AS a ON a.id = l.agency_id
LEFT JOIN agencies AS p ON p.id = a.parent
LEFT JOIN ranked AS prev ON prev.agency_id = l.agency_id AND prev.recency = 2
WHERE l.recency = 1
ORDER BY l.score ASC NULLS FIRST, a.name
