-- What the dashboard's cache is keyed on; read on every page view, so it must stay cheap.
-- Columns: latest_run_id (newest completed run, NULL before the first), last_run_id (newest
-- run of any status), completed_runs (how many completed runs there are).
SELECT max(id) FILTER (WHERE status = 'completed') AS latest_run_id,
       max(id) AS last_run_id,
       count(*) FILTER (WHERE status = 'completed') AS completed_runs
FROM runs
