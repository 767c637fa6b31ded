-- The evidence bundle of findings with evidence (found, stale, broken: $with_evidence, as the
-- detector saw it or as it stands after a reviewer's override), kept
-- with the run: the URL chain followed (the linking page, the evidence URL, every redirect
-- hop, the final URL), the HTTP status, content type and size of the answer, the evidence's
-- SHA-256 (a document's bytes; an HTML page as detection read it: see migration 0015) and the
-- body's (evidence_body_sha256; evidence_sha256_bytes: the body hash covers only that many
-- first bytes, the probe or size cap; NULL: the whole body), evidence_from_cache (a 304: unchanged since an earlier
-- run, whose status, size and hash are kept), the matched text, the document year, and the
-- screenshot taken on request (path relative to the data folder, its SHA-256, who, when),
-- and the agency's registry URL and TLS choice (a screenshot goes through its address guard).
-- Parameters: $agency_id and $category_id (NULL: every agency / category) and $run_id
-- (NULL: each agency's latest completed run). One row per finding, in checklist order.
SELECT f.agency_id, a.name AS agency_name, a.url AS agency_url, a.insecure_tls,
       f.category_id, c.name AS category_name,
       f.run_id, f.checked_at, f.status, f.evidence_url, f.evidence_text, f.document_year,
       f.page_url, f.matched_rule, f.evidence_chain, f.evidence_status_code,
       f.evidence_content_type, f.evidence_bytes, f.evidence_sha256, f.evidence_sha256_bytes,
       f.evidence_from_cache, f.evidence_body_sha256,
       s.url AS screenshot_url, s.path AS screenshot_path, s.sha256 AS screenshot_sha256,
       s.taken_by AS screenshot_taken_by, s.taken_at AS screenshot_taken_at
FROM findings AS f
JOIN agencies AS a ON a.id = f.agency_id
JOIN categories AS c ON c.id = f.category_id
LEFT JOIN latest_agency_runs AS l ON l.agency_id = f.agency_id AND l.run_id = f.run_id
LEFT JOIN evidence_screenshots AS s
       ON s.run_id = f.run_id AND s.agency_id = f.agency_id AND s.category_id = f.category_id
WHERE f.evidence_url IS NOT NULL
  AND (list_contains($with_evidence, f.status)
       OR list_contains($with_evidence, coalesce(f.detector_status, f.status)))
  AND ($agency_id::VARCHAR IS NULL OR f.agency_id = $agency_id::VARCHAR)
  AND ($category_id::VARCHAR IS NULL OR f.category_id = $category_id::VARCHAR)
  AND (CASE WHEN $run_id::INTEGER IS NULL THEN l.run_id IS NOT NULL
            ELSE f.run_id = $run_id::INTEGER END)
ORDER BY f.agency_id, c.position
