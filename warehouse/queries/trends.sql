-- Each agency's scores in its last $runs completed runs, oldest first, leaving out runs in
-- which the site was unreachable (no score): the ranking's sparkline.
-- Columns: agency_id, scores (DOUBLE[], NULL when no run had a score).
SELECT agency_id,
       list(score ORDER BY run_id) FILTER (WHERE score IS NOT NULL) AS scores
FROM (
    SELECT agency_id, run_id, score,
           row_number() OVER (PARTITION BY agency_id ORDER BY run_id DESC) AS recency
    FROM completed_agency_runs
)
WHERE recency <= $runs
GROUP BY agency_id
ORDER BY agency_id
