-- 0010: claims, reviews and their audit trail (issue 14). Forward-only.
--
-- The shared tables of the trust layer. Declarations (an OPD's "klaim bukti") and reviews
-- (a reviewer's confirmation or override) are rows that are never edited in place except to
-- close them (withdrawn_at, lapsed_at, revoked_at), and every change, refusal and closing is a
-- row in audit_log.

-- Append-only: every declaration, refused declaration, review, override, lapse, sign-in
-- refusal and user change. actor: 'pengguna:<name>' (a signed-in reviewer), 'opd:<agency id>'
-- (a reminder link's token), 'berkas:<file>' (the declarations file), 'sistem' (the crawl:
-- lapses, confirmations), 'cli' (a command). before/after: the row as it was and became.
CREATE SEQUENCE audit_ids START 1;
CREATE TABLE audit_log (
    id            BIGINT PRIMARY KEY DEFAULT nextval('audit_ids'),
    logged_at     TIMESTAMPTZ NOT NULL,
    actor         VARCHAR NOT NULL,
    action        VARCHAR NOT NULL,
    agency_id     VARCHAR,
    category_id   VARCHAR,
    before        JSON,
    after         JSON,
    note          VARCHAR
);

-- Declared evidence: where an OPD says it publishes a category. source: 'file' (the
-- declarations file) or 'form' (the dashboard form reached by a reminder's signed link).
-- One open declaration per (agency, category): a new one closes the old (withdrawn_at).
CREATE SEQUENCE declaration_ids START 1;
CREATE TABLE declarations (
    id            INTEGER PRIMARY KEY DEFAULT nextval('declaration_ids'),
    agency_id     VARCHAR NOT NULL,
    category_id   VARCHAR NOT NULL,
    url           VARCHAR NOT NULL,
    note          VARCHAR,
    source        VARCHAR NOT NULL CHECK (source IN ('file', 'form')),
    declared_by   VARCHAR NOT NULL,
    declared_at   TIMESTAMPTZ NOT NULL,
    withdrawn_at  TIMESTAMPTZ
);

-- What each crawl found at each open declaration: confirmed (detection agreed the URL
-- publishes that category) or not, with the reason in Indonesian (shown as "belum
-- terverifikasi" and sent to review).
CREATE TABLE declaration_checks (
    run_id         INTEGER NOT NULL,
    declaration_id INTEGER NOT NULL,
    agency_id      VARCHAR NOT NULL,
    category_id    VARCHAR NOT NULL,
    url            VARCHAR NOT NULL,
    confirmed      BOOLEAN NOT NULL,
    reason         VARCHAR,
    status_code    INTEGER,
    content_type   VARCHAR,
    bytes          BIGINT,
    sha256         VARCHAR,
    checked_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (run_id, declaration_id)
);

-- Single-use form tokens already spent (a replayed token is refused).
CREATE TABLE token_uses (
    token_id      VARCHAR PRIMARY KEY,
    agency_id     VARCHAR NOT NULL,
    used_at       TIMESTAMPTZ NOT NULL
);

-- A reviewer's judgement of one finding. kind 'confirm': the finding is right as the crawler
-- found it; 'override': its effective status becomes `status`, replacing `replaced_status`,
-- for `reason`. An override judges the evidence it saw (run_id, detector_status,
-- evidence_url, evidence_sha256) and lapses by itself (lapsed_at, lapse_reason) when a later
-- run's detector status or evidence hash differs. version: optimistic concurrency (two
-- reviewers saving the same finding: the second is told, nothing is lost).
CREATE SEQUENCE review_ids START 1;
CREATE TABLE reviews (
    id              INTEGER PRIMARY KEY DEFAULT nextval('review_ids'),
    agency_id       VARCHAR NOT NULL,
    category_id     VARCHAR NOT NULL,
    run_id          INTEGER NOT NULL,
    kind            VARCHAR NOT NULL CHECK (kind IN ('confirm', 'override')),
    status          VARCHAR,
    replaced_status VARCHAR,
    detector_status VARCHAR,
    evidence_url    VARCHAR,
    evidence_sha256 VARCHAR,
    reason          VARCHAR,
    reviewer        VARCHAR NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    lapsed_at       TIMESTAMPTZ,
    lapse_reason    VARCHAR,
    revoked_at      TIMESTAMPTZ,
    revoked_by      VARCHAR,
    version         INTEGER NOT NULL DEFAULT 1
);

-- The evidence bundle of each finding: the URL chain followed (redirects), what answered
-- (HTTP status, content type, size) and the SHA-256 of the evidence body, kept with the run
-- so a reviewer and an OPD see the same thing. screenshot: the path of a PNG of the evidence
-- page taken on request (rendered with the crawler's browser), relative to the data folder.
ALTER TABLE findings ADD COLUMN evidence_chain VARCHAR[];
ALTER TABLE findings ADD COLUMN evidence_status_code INTEGER;
ALTER TABLE findings ADD COLUMN evidence_content_type VARCHAR;
ALTER TABLE findings ADD COLUMN evidence_bytes BIGINT;
ALTER TABLE findings ADD COLUMN evidence_sha256 VARCHAR;
ALTER TABLE findings ADD COLUMN declaration_id INTEGER;
ALTER TABLE findings ADD COLUMN review_id INTEGER;

CREATE TABLE evidence_screenshots (
    run_id        INTEGER NOT NULL,
    agency_id     VARCHAR NOT NULL,
    category_id   VARCHAR NOT NULL,
    url           VARCHAR NOT NULL,
    path          VARCHAR NOT NULL,
    sha256        VARCHAR NOT NULL,
    taken_by      VARCHAR NOT NULL,
    taken_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (run_id, agency_id, category_id)
);
