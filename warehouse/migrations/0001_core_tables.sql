-- 0001: the core tables. Forward-only: never edit a migration that has shipped; add a new one.

CREATE TABLE agencies (
    id            VARCHAR PRIMARY KEY,
    name          VARCHAR NOT NULL,
    url           VARCHAR NOT NULL,
    email         VARCHAR,
    role          VARCHAR NOT NULL CHECK (role IN ('utama', 'pelaksana')),
    parent        VARCHAR,
    insecure_tls  BOOLEAN NOT NULL DEFAULT false,
    updated_at    TIMESTAMP NOT NULL
);

CREATE TABLE categories (
    id            VARCHAR PRIMARY KEY,
    category_group VARCHAR NOT NULL,
    name          VARCHAR NOT NULL,
    legal_basis   VARCHAR,
    weight        DOUBLE NOT NULL CHECK (weight > 0),
    freshness     VARCHAR NOT NULL CHECK (freshness IN ('none', 'annual', 'semester')),
    position      INTEGER NOT NULL
);

-- One row per crawl run. A run is written in one transaction when it ends, so a run that
-- is visible is complete; 'failed' records a run that could not finish (no findings).
CREATE TABLE runs (
    id            INTEGER PRIMARY KEY,
    started_at    TIMESTAMP NOT NULL,
    finished_at   TIMESTAMP,
    status        VARCHAR NOT NULL CHECK (status IN ('completed', 'failed')),
    registry      VARCHAR,
    settings      JSON,
    summary       JSON
);

-- One row per (run, agency): reachability, crawl statistics and the score of that run.
CREATE TABLE agency_runs (
    run_id        INTEGER NOT NULL,
    agency_id     VARCHAR NOT NULL,
    reachable     BOOLEAN NOT NULL,
    error         VARCHAR,
    score         DOUBLE CHECK (score BETWEEN 0 AND 100),
    band          VARCHAR,
    pages         INTEGER,
    documents     INTEGER,
    requests      INTEGER,
    body_bytes    BIGINT,
    started_at    TIMESTAMP,
    checked_at    TIMESTAMP NOT NULL,
    PRIMARY KEY (run_id, agency_id)
);

CREATE TABLE pages (
    run_id        INTEGER NOT NULL,
    agency_id     VARCHAR NOT NULL,
    url           VARCHAR NOT NULL,
    status_code   INTEGER,
    content_type  VARCHAR,
    bytes         BIGINT,
    etag          VARCHAR,
    last_modified VARCHAR,
    depth         INTEGER,
    title         VARCHAR,
    from_cache    BOOLEAN,
    fetched_at    TIMESTAMP
);

CREATE TABLE documents (
    run_id        INTEGER NOT NULL,
    agency_id     VARCHAR NOT NULL,
    url           VARCHAR NOT NULL,
    ok            BOOLEAN NOT NULL,
    status_code   INTEGER,
    content_type  VARCHAR,
    bytes         BIGINT,
    last_modified VARCHAR,
    reason        VARCHAR,
    from_cache    BOOLEAN,
    checked_at    TIMESTAMP
);

CREATE TABLE findings (
    run_id        INTEGER NOT NULL,
    agency_id     VARCHAR NOT NULL,
    category_id   VARCHAR NOT NULL,
    status        VARCHAR NOT NULL
                  CHECK (status IN ('found', 'stale', 'broken', 'missing', 'unreachable')),
    evidence_url  VARCHAR,
    evidence_text VARCHAR,
    page_url      VARCHAR,
    document_year INTEGER,
    matched_rule  VARCHAR,
    checked_at    TIMESTAMP NOT NULL,
    PRIMARY KEY (run_id, agency_id, category_id)
);

CREATE SEQUENCE reminder_ids START 1;

-- Every reminder attempt (reminders issue): sent, failed or skipped, with the reason.
CREATE TABLE reminders (
    id            INTEGER PRIMARY KEY DEFAULT nextval('reminder_ids'),
    agency_id     VARCHAR NOT NULL,
    run_id        INTEGER NOT NULL,
    channel       VARCHAR NOT NULL,
    recipients    VARCHAR,
    cc            VARCHAR,
    categories    VARCHAR[],
    status        VARCHAR NOT NULL CHECK (status IN ('pending', 'sent', 'failed', 'skipped')),
    reason        VARCHAR,
    error         VARCHAR,
    attempts      INTEGER NOT NULL DEFAULT 0,
    created_at    TIMESTAMP NOT NULL,
    sent_at       TIMESTAMP
);
