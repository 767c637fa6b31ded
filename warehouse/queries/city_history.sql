-- The whole registry's score over time: per completed run, the mean score of the agencies
-- that were reachable, how many were checked and how many were unreachable.
SELECT run_id, min(checked_at) AS checked_at,
       round(avg(score), 2) AS average_score,
       count(*) AS agencies,
       count(*) FILTER (WHERE NOT reachable) AS unreachable
FROM completed_agency_runs
GROUP BY run_id
ORDER BY run_id
