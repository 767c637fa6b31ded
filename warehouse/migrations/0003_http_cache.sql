-- 0003: what incremental recrawls need from the last run: validators (ETag, Last-Modified)
-- and the extracted page (links with their context) per URL, so that a 304 answer reuses it.
CREATE TABLE http_cache (
    agency_id     VARCHAR NOT NULL,
    url           VARCHAR NOT NULL,
    kind          VARCHAR NOT NULL CHECK (kind IN ('page', 'document')),
    etag          VARCHAR,
    last_modified VARCHAR,
    data          JSON NOT NULL,
    run_id        INTEGER NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    PRIMARY KEY (agency_id, url)
);
