-- Each agency's standing (its newest completed result) as of each of the last two completed
-- runs, so the overview can compare "now" with "after the previous run". An agency that was
-- not in a run keeps its earlier result. Columns: as_of_run, agency_id, run_id, score, band,
-- reachable.
WITH recent AS (
    SELECT id FROM runs WHERE status = 'completed' ORDER BY id DESC LIMIT 2
)
SELECT r.id AS as_of_run, ar.agency_id, ar.run_id, ar.score, ar.band, ar.reachable
FROM recent AS r
JOIN completed_agency_runs AS ar ON ar.run_id <= r.id
QUALIFY row_number() OVER (PARTITION BY r.id, ar.agency_id ORDER BY ar.run_id DESC) = 1
ORDER BY as_of_run, ar.agency_id
