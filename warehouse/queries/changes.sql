-- What changed for each (agency, category) between two runs: $from_run and $to_run.
-- Only rows whose status differs; change is newly_found, newly_missing, became_broken,
-- became_stale, became_unreachable or other: the name $change_names gives the status the
-- category ended in ($change_statuses; both from core.vocabulary, filled by queries.run).
SELECT t.agency_id, a.name AS agency_name, t.category_id, c.name AS category_name,
       f.status AS from_status, t.status AS to_status,
       coalesce(list_extract($change_names, list_position($change_statuses, t.status)),
                'other') AS change,
       t.evidence_url
FROM findings AS t
JOIN findings AS f
  ON f.agency_id = t.agency_id AND f.category_id = t.category_id AND f.run_id = $from_run
JOIN agencies AS a ON a.id = t.agency_id
JOIN categories AS c ON c.id = t.category_id
WHERE t.run_id = $to_run AND t.status <> f.status
ORDER BY a.name, c.position
