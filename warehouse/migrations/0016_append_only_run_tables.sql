-- 0016: the two big tables a run writes lose their primary-key index (issue 16: writing a
-- national run, 30,000 agencies × 30 categories, in under 2 s). Forward-only.
--
-- findings grows by 900,000 rows per national run, and its PRIMARY KEY (run_id, agency_id,
-- category_id) was an ART index that every run's insert had to extend and every commit had to
-- write back to the file: the write grew with the history kept. http_cache holds one row per
-- URL of every site (~200,000 rows of extracted pages as JSON) and was upserted row by row
-- through its PRIMARY KEY (agency_id, url). Both are now plain tables: the run's write checks
-- the staged rows for duplicate keys itself and refuses the run, naming the agency, before
-- anything is copied (warehouse/load.py); a run's findings carry a run id no other run has;
-- the HTTP cache's rows for the URLs being written are deleted, then inserted. Nothing else
-- inserts into either table, and the updates of findings (drops, reviews) name the whole key.
--
-- Every column keeps its name, position, type, default, NOT NULL and CHECK (tests/test_db.py
-- compares information_schema and duckdb_constraints() before and after); the rows are kept.
-- http_cache's extracted-page JSON is stored with zstd compression: ~4× smaller than DuckDB's
-- default string compression and several times faster to write (DuckDB 1.5 reads it too).
-- The views name these tables and are bound when queried, so they need no change.

CREATE TABLE findings_0016 (
    run_id                INTEGER NOT NULL,
    agency_id             VARCHAR NOT NULL,
    category_id           VARCHAR NOT NULL,
    status                VARCHAR NOT NULL
                          CHECK (status IN ('found', 'stale', 'broken', 'missing', 'unreachable')),
    evidence_url          VARCHAR,
    evidence_text         VARCHAR,
    page_url              VARCHAR,
    document_year         INTEGER,
    matched_rule          VARCHAR,
    checked_at            TIMESTAMPTZ NOT NULL,
    detector_status       VARCHAR,
    confirmed             BOOLEAN DEFAULT true,
    status_source         VARCHAR DEFAULT 'crawler',
    drop_checks           INTEGER DEFAULT 0,
    held_reason           VARCHAR,
    evidence_chain        VARCHAR[],
    evidence_status_code  INTEGER,
    evidence_content_type VARCHAR,
    evidence_bytes        BIGINT,
    evidence_sha256       VARCHAR,
    declaration_id        INTEGER,
    review_id             INTEGER,
    evidence_sha256_bytes BIGINT,
    evidence_from_cache   BOOLEAN,
    crawler_status        VARCHAR,
    crawler_source        VARCHAR,
    evidence_body_sha256  VARCHAR
);
INSERT INTO findings_0016 SELECT * FROM findings;
DROP TABLE findings;
ALTER TABLE findings_0016 RENAME TO findings;

CREATE TABLE http_cache_0016 (
    agency_id     VARCHAR NOT NULL,
    url           VARCHAR NOT NULL,
    kind          VARCHAR NOT NULL CHECK (kind IN ('page', 'document')),
    etag          VARCHAR,
    last_modified VARCHAR,
    data          JSON NOT NULL USING COMPRESSION zstd,
    run_id        INTEGER NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);
INSERT INTO http_cache_0016 SELECT * FROM http_cache;
DROP TABLE http_cache;
ALTER TABLE http_cache_0016 RENAME TO http_cache;
