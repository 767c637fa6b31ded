-- What changed for each (agency, category) between two runs: $from_run and $to_run, with the
-- evidence before and after. Rows whose published status differs (confirmed changes, the
-- default of the Perubahan page) and rows the detector disagrees with (held_reason:
-- unconfirmed — a drop awaiting its re-check, site_changed — held for review, evidence_live —
-- a drop not believed because the old document still answers, incomplete — a first
-- sighting in a crawl cut short). change is newly_found, newly_missing, became_broken,
-- became_stale, became_unreachable or other — the name $change_names gives the status the
-- category ended in ($change_statuses; both from core.vocabulary, filled by queries.run) —
-- or held (status unchanged, the detector's verdict held back). to_status_source and
-- from_status_source: 'override' marks a reviewer's status on either side.
SELECT t.agency_id, a.name AS agency_name, t.category_id, c.name AS category_name,
       f.status AS from_status, t.status AS to_status,
       coalesce(t.detector_status, t.status) AS detected_status,
       coalesce(t.confirmed, true) AS confirmed, t.held_reason,
       CASE WHEN t.status = f.status THEN 'held'
            ELSE coalesce(list_extract($change_names, list_position($change_statuses, t.status)),
                          'other')
       END AS change,
       t.evidence_url, t.status_source AS to_status_source, f.status_source AS from_status_source,
       f.evidence_url AS from_evidence_url, f.evidence_text AS from_evidence_text,
       t.evidence_url AS to_evidence_url, t.evidence_text AS to_evidence_text,
       c.position
FROM findings AS t
JOIN findings AS f
  ON f.agency_id = t.agency_id AND f.category_id = t.category_id AND f.run_id = $from_run
JOIN agencies AS a ON a.id = t.agency_id
JOIN categories AS c ON c.id = t.category_id
WHERE t.run_id = $to_run AND (t.status <> f.status OR t.held_reason IS NOT NULL)
ORDER BY a.name, c.position
