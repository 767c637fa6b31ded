-- 0002: the analyst views of the public contract (spec/contract.md section 4).

-- Agency results of completed runs only.
CREATE VIEW completed_agency_runs AS
SELECT ar.*
FROM agency_runs AS ar
JOIN runs AS r ON r.id = ar.run_id
WHERE r.status = 'completed';

-- Each agency's latest completed run.
CREATE VIEW latest_agency_runs AS
SELECT *
FROM completed_agency_runs
QUALIFY row_number() OVER (PARTITION BY agency_id ORDER BY run_id DESC) = 1;

CREATE VIEW latest_findings AS
SELECT f.agency_id, f.category_id, f.status, f.evidence_url, f.evidence_text,
       f.document_year, f.checked_at, f.run_id
FROM findings AS f
JOIN latest_agency_runs AS l ON l.agency_id = f.agency_id AND l.run_id = f.run_id;

CREATE VIEW latest_scores AS
SELECT agency_id, score, band, run_id, checked_at
FROM latest_agency_runs;

CREATE VIEW score_history AS
SELECT agency_id, run_id, checked_at, score, band
FROM completed_agency_runs;
