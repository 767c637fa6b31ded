-- 0009: trustworthy changes (issue 13). Forward-only.
--
-- findings: the detector's own verdict beside the published status, and whether a drop from
-- found/stale is confirmed. While a drop awaits its re-checks, status keeps the published
-- value (and its evidence), detector_status says missing/broken, confirmed is false.
-- drop_checks counts the failing re-checks so far; held_reason says why status differs from
-- detector_status: unconfirmed, evidence_live (the old document still answers: never
-- reported as removed) or site_changed (held for review). status_source: crawler, declared,
-- override (contract section 6); the crawler is the only source so far.
ALTER TABLE findings ADD COLUMN detector_status VARCHAR;
ALTER TABLE findings ADD COLUMN confirmed BOOLEAN DEFAULT true;
ALTER TABLE findings ADD COLUMN status_source VARCHAR DEFAULT 'crawler';
ALTER TABLE findings ADD COLUMN drop_checks INTEGER DEFAULT 0;
ALTER TABLE findings ADD COLUMN held_reason VARCHAR;
UPDATE findings SET detector_status = status WHERE detector_status IS NULL;
UPDATE findings SET confirmed = true WHERE confirmed IS NULL;
UPDATE findings SET status_source = 'crawler' WHERE status_source IS NULL;
UPDATE findings SET drop_checks = 0 WHERE drop_checks IS NULL;

-- agency_runs: site health, each run compared with the site's previous reachable run.
-- site_changed ("situs berubah"): a sharp fall while old evidence still answers, or a new
-- platform; the agency's drops and reminders are held. health_note says what was seen.
ALTER TABLE agency_runs ADD COLUMN platform VARCHAR;
ALTER TABLE agency_runs ADD COLUMN categories_found INTEGER;
ALTER TABLE agency_runs ADD COLUMN evidence_checked INTEGER;
ALTER TABLE agency_runs ADD COLUMN evidence_alive INTEGER;
ALTER TABLE agency_runs ADD COLUMN site_changed BOOLEAN DEFAULT false;
ALTER TABLE agency_runs ADD COLUMN health_note VARCHAR;
UPDATE agency_runs SET site_changed = false WHERE site_changed IS NULL;

-- Every re-check of an old evidence URL made later in a run: what answered.
CREATE TABLE evidence_checks (
    run_id        INTEGER NOT NULL,
    agency_id     VARCHAR NOT NULL,
    url           VARCHAR NOT NULL,
    ok            BOOLEAN NOT NULL,
    status_code   INTEGER,
    reason        VARCHAR,
    checked_at    TIMESTAMPTZ
);

-- reminders: the reply-by date the message named (follow-up after reminders).
ALTER TABLE reminders ADD COLUMN reply_by DATE;

-- The contract view, with the section 6 columns.
CREATE OR REPLACE VIEW latest_findings AS
SELECT f.agency_id, f.category_id, f.status, f.evidence_url, f.evidence_text,
       f.document_year, f.checked_at, f.run_id,
       f.status_source, coalesce(f.detector_status, f.status) AS detector_status,
       coalesce(f.confirmed, true) AS confirmed
FROM findings AS f
JOIN latest_agency_runs AS l ON l.agency_id = f.agency_id AND l.run_id = f.run_id;

-- The named view (0005) with the same section 6 columns.
CREATE OR REPLACE VIEW latest_findings_named AS
SELECT f.agency_id, a.name AS agency_name, a.role AS agency_role, a.parent AS agency_parent,
       f.category_id, c.name AS category_name, c.category_group, c.legal_basis,
       f.status, f.evidence_url, f.evidence_text, f.document_year, f.checked_at, f.run_id,
       f.status_source, f.detector_status, f.confirmed
FROM latest_findings AS f
JOIN agencies AS a ON a.id = f.agency_id
JOIN categories AS c ON c.id = f.category_id;

-- Each agency's last completed run in which its site was reachable: its last known state.
CREATE VIEW last_seen_runs AS
SELECT *
FROM completed_agency_runs
WHERE reachable
QUALIFY row_number() OVER (PARTITION BY agency_id ORDER BY run_id DESC) = 1;

-- Reachability per agency: whether its latest run reached the site, when it was last seen,
-- since when it has been unreachable (the first unreachable run after the last reachable
-- one) and for how many runs. last_seen_at is NULL for a site never reached.
CREATE VIEW agency_reachability AS
SELECT l.agency_id, l.run_id, l.reachable, l.error, l.checked_at,
       s.run_id AS last_seen_run_id, s.checked_at AS last_seen_at,
       (SELECT min(u.checked_at) FROM completed_agency_runs AS u
         WHERE u.agency_id = l.agency_id AND NOT u.reachable
           AND u.run_id > coalesce(s.run_id, 0)) AS unreachable_since,
       (SELECT count(*) FROM completed_agency_runs AS u
         WHERE u.agency_id = l.agency_id AND NOT u.reachable
           AND u.run_id > coalesce(s.run_id, 0)) AS unreachable_runs
FROM latest_agency_runs AS l
LEFT JOIN last_seen_runs AS s ON s.agency_id = l.agency_id;

-- The last known findings of every agency: from its last reachable run, with when they were
-- seen and whether the latest run reached the site (false: these are the last known state,
-- shown with their age, never counted as missing).
CREATE VIEW last_known_findings AS
SELECT f.agency_id, f.category_id, f.status, f.evidence_url, f.evidence_text,
       f.document_year, f.checked_at AS seen_at, f.run_id,
       coalesce(f.confirmed, true) AS confirmed,
       r.reachable AS reachable_now, r.checked_at AS latest_checked_at
FROM findings AS f
JOIN last_seen_runs AS s ON s.agency_id = f.agency_id AND s.run_id = f.run_id
JOIN latest_agency_runs AS r ON r.agency_id = f.agency_id;

-- Site health per (agency, completed run): what the run reached against the previous one.
CREATE VIEW site_health AS
SELECT ar.agency_id, ar.run_id, ar.checked_at, ar.reachable, ar.pages, ar.documents,
       ar.categories_found, ar.platform, ar.evidence_checked, ar.evidence_alive,
       coalesce(ar.site_changed, false) AS site_changed, ar.health_note,
       lag(ar.pages) OVER w AS previous_pages,
       lag(ar.documents) OVER w AS previous_documents,
       lag(ar.categories_found) OVER w AS previous_categories_found,
       lag(ar.platform) OVER w AS previous_platform
FROM completed_agency_runs AS ar
WHERE ar.reachable
WINDOW w AS (PARTITION BY ar.agency_id ORDER BY ar.run_id);

-- Drops not yet believed: the latest findings whose published status differs from the
-- detector's, with why (unconfirmed, evidence_live, site_changed) and the re-checks so far.
CREATE VIEW pending_drops AS
SELECT f.agency_id, f.category_id, f.status, f.detector_status, f.confirmed, f.drop_checks,
       f.held_reason, f.evidence_url, f.checked_at, f.run_id
FROM findings AS f
JOIN latest_agency_runs AS l ON l.agency_id = f.agency_id AND l.run_id = f.run_id
WHERE f.held_reason IS NOT NULL;

-- Follow-up after reminders: one row per (reminder sent to an agency about a run, category
-- it named). fixed_at: when the category was first seen found after the message (the first
-- completed run checked after sent_at in which it was found); days_to_fix; fixed_by_reply_by:
-- by the reply-by date the message named; open: not fixed yet.
CREATE VIEW reminder_followup AS
WITH sent AS (
    SELECT agency_id, run_id, min(id) AS reminder_id, min(sent_at) AS sent_at,
           min(reply_by) AS reply_by, any_value(categories) AS categories
    FROM reminders
    WHERE kind = 'reminder' AND status = 'sent' AND sent_at IS NOT NULL
    GROUP BY agency_id, run_id
), named AS (
    SELECT reminder_id, agency_id, run_id, sent_at, reply_by, unnest(categories) AS category_id
    FROM sent
)
SELECT n.reminder_id, n.agency_id, n.run_id, n.category_id, n.sent_at, n.reply_by,
       fix.fixed_at, fix.fixed_run_id,
       date_diff('day', n.sent_at, fix.fixed_at) AS days_to_fix,
       coalesce(fix.fixed_at::DATE <= n.reply_by, false) AS fixed_by_reply_by,
       fix.fixed_at IS NULL AS open
FROM named AS n
LEFT JOIN LATERAL (
    SELECT min(f.checked_at) AS fixed_at, arg_min(f.run_id, f.checked_at) AS fixed_run_id
    FROM findings AS f
    JOIN runs AS r ON r.id = f.run_id AND r.status = 'completed'
    WHERE f.agency_id = n.agency_id AND f.category_id = n.category_id
      AND f.status = 'found' AND f.checked_at > n.sent_at
) AS fix ON true;

-- Follow-up per agency: reminders sent, categories named, how many became found, the share
-- fixed by the reply-by date, the median days to fix, open categories past their reply-by
-- date (as of today), and never_responded: reminded, past a reply-by date, nothing fixed.
CREATE VIEW followup_by_agency AS
SELECT agency_id,
       count(DISTINCT reminder_id) AS reminders,
       count(*) AS categories_reminded,
       count(fixed_at) AS fixed,
       count(*) FILTER (WHERE fixed_by_reply_by) AS fixed_by_reply_by,
       round(count(*) FILTER (WHERE fixed_by_reply_by) / count(*), 3) AS share_fixed_by_reply_by,
       median(days_to_fix) AS median_days_to_fix,
       min(sent_at) AS first_reminded_at,
       max(sent_at) AS last_reminded_at,
       count(*) FILTER (WHERE open AND reply_by < current_date) AS open_past_reply_by,
       count(fixed_at) = 0 AND bool_or(reply_by < current_date) AS never_responded
FROM reminder_followup
GROUP BY agency_id;

-- Follow-up per category: how often it was asked for, fixed, fixed by the reply-by date, and
-- the median days to fix.
CREATE VIEW followup_by_category AS
SELECT category_id,
       count(*) AS times_reminded,
       count(DISTINCT agency_id) AS agencies,
       count(fixed_at) AS fixed,
       count(*) FILTER (WHERE fixed_by_reply_by) AS fixed_by_reply_by,
       round(count(*) FILTER (WHERE fixed_by_reply_by) / count(*), 3) AS share_fixed_by_reply_by,
       median(days_to_fix) AS median_days_to_fix
FROM reminder_followup
GROUP BY category_id;
