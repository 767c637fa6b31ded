-- What each agency lacks in its latest run, confirmed findings only (a category first seen
-- missing in a crawl cut short by passing faults waits for the next run): one row per
-- missing, broken or stale category, in checklist order: agency_id, run_id, category_id,
-- category_group, category_name, legal_basis, freshness, upload_hint, status, evidence_url,
-- evidence_text, document_year, checked_at, status_source and review_reason (a reviewer's
-- override: the status is the reviewer's, the e-mail says so with the reason).
-- $lacking: the statuses a reminder asks about (core.vocabulary.LACKING, filled by queries.run).
SELECT f.agency_id, f.run_id, f.category_id, c.category_group, c.name AS category_name,
       c.legal_basis, c.freshness, c.upload_hint, f.status, f.evidence_url, f.evidence_text,
       f.document_year, f.checked_at, f.status_source,
       CASE WHEN f.status_source = 'override' THEN r.review_reason END AS review_reason
FROM latest_findings AS f
JOIN categories AS c ON c.id = f.category_id
LEFT JOIN latest_finding_reviews AS r
  ON r.agency_id = f.agency_id AND r.category_id = f.category_id
WHERE list_contains($lacking, f.status) AND f.confirmed
ORDER BY f.agency_id, c.position, f.category_id
