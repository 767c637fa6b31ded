-- 0013: reviews applied to findings, and the analyst views of reviews (issue 14). Forward-only.
--
-- An override is applied to the finding it judged, in place, in one short transaction with
-- its audit row: findings.status becomes the reviewer's status, status_source 'override',
-- review_id the review; what the run itself said is kept beside it (crawler_status,
-- crawler_source) so a revoked override restores it exactly. Each later run the crawl
-- applies the still-active overrides the same way (or lets them lapse: reviews.lapsed_at),
-- so latest_findings.status is always the effective status and detector_status the
-- detector's own verdict. A confirmation sets review_id only (status unchanged).
ALTER TABLE findings ADD COLUMN crawler_status VARCHAR;
ALTER TABLE findings ADD COLUMN crawler_source VARCHAR;

-- Every review with its state: active (an override in force, or a confirmation), lapsed
-- (the evidence it judged changed) or revoked (by a reviewer, or replaced by a later review
-- of the same finding: the audit trail says which). Times carry their zone.
CREATE VIEW review_history AS
SELECT r.id AS review_id, r.agency_id, a.name AS agency_name, r.category_id,
       c.name AS category_name, r.kind, r.status, r.replaced_status, r.detector_status,
       r.evidence_url, r.evidence_sha256, r.reason, r.reviewer, r.created_at,
       r.run_id AS judged_run_id,
       CASE WHEN r.lapsed_at IS NOT NULL THEN 'lapsed'
            WHEN r.revoked_at IS NOT NULL THEN 'revoked'
            ELSE 'active' END AS state,
       r.lapsed_at, r.lapse_reason, r.revoked_at, r.revoked_by, r.version
FROM reviews AS r
LEFT JOIN agencies AS a ON a.id = r.agency_id
LEFT JOIN categories AS c ON c.id = r.category_id;

-- The overrides in force: who set which status for which finding, when, why, the status
-- it replaced, the detector status and evidence hash it judged, and whether the agency's
-- latest run carries it (applied: false while the latest run could not reach the site).
CREATE VIEW active_overrides AS
SELECT h.review_id, h.agency_id, h.agency_name, h.category_id, h.category_name,
       h.status, h.replaced_status, h.detector_status, h.evidence_url, h.evidence_sha256,
       h.reason, h.reviewer, h.created_at, h.judged_run_id, h.version,
       f.run_id AS latest_run_id, f.detector_status AS latest_detector_status,
       coalesce(f.review_id = h.review_id, false) AS applied
FROM review_history AS h
LEFT JOIN latest_agency_runs AS l ON l.agency_id = h.agency_id
LEFT JOIN findings AS f
  ON f.agency_id = h.agency_id AND f.category_id = h.category_id AND f.run_id = l.run_id
WHERE h.kind = 'override' AND h.state = 'active';

-- The review columns of each agency's latest findings: which review the finding carries
-- (an override in force or a confirmation of this run), and what the run itself said.
CREATE VIEW latest_finding_reviews AS
SELECT f.agency_id, f.category_id, f.run_id, f.status, f.status_source, f.detector_status,
       coalesce(f.crawler_status, f.status) AS crawler_status,
       coalesce(f.crawler_source, f.status_source) AS crawler_source,
       f.evidence_url, f.evidence_sha256, f.review_id, r.kind AS review_kind,
       r.status AS review_status, r.replaced_status, r.reason AS review_reason,
       r.reviewer, r.created_at AS reviewed_at, r.version AS review_version
FROM findings AS f
JOIN latest_agency_runs AS l ON l.agency_id = f.agency_id AND l.run_id = f.run_id
LEFT JOIN reviews AS r ON r.id = f.review_id;

-- What awaits a reviewer: open claims (an OPD's declaration, not withdrawn, whose latest
-- check did not confirm it, or not checked yet, and that no review has answered since) and
-- the overrides in force (to re-examine). kind: 'claim' or 'override'; detail: the check's
-- reason or the override's reason; since: when it was declared or set.
CREATE VIEW open_reviews AS
WITH last_checks AS (
    SELECT * FROM declaration_checks
    QUALIFY row_number() OVER (PARTITION BY declaration_id ORDER BY run_id DESC) = 1
)
SELECT 'claim' AS kind, d.agency_id, a.name AS agency_name, d.category_id,
       c.name AS category_name, d.url AS evidence_url, k.reason AS detail,
       d.note, d.declared_by AS actor, d.declared_at AS since, k.checked_at,
       d.id AS declaration_id, NULL::INTEGER AS review_id
FROM declarations AS d
LEFT JOIN last_checks AS k ON k.declaration_id = d.id
LEFT JOIN agencies AS a ON a.id = d.agency_id
LEFT JOIN categories AS c ON c.id = d.category_id
WHERE d.withdrawn_at IS NULL AND NOT coalesce(k.confirmed, false)
  AND NOT EXISTS (SELECT 1 FROM reviews AS r
                  WHERE r.agency_id = d.agency_id AND r.category_id = d.category_id
                    AND r.revoked_at IS NULL
                    AND r.created_at >= coalesce(k.checked_at, d.declared_at))
UNION ALL
SELECT 'override' AS kind, o.agency_id, o.agency_name, o.category_id, o.category_name,
       o.evidence_url, o.reason AS detail, NULL AS note, o.reviewer AS actor,
       o.created_at AS since, NULL::TIMESTAMPTZ AS checked_at, NULL::INTEGER AS declaration_id,
       o.review_id
FROM active_overrides AS o;
