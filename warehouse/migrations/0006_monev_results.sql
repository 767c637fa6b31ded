-- 0006: official Komisi Informasi Monev results of earlier years, recorded per agency
-- (`pantau monev import FILE`), shown beside Pantau's own score. score may be unknown when
-- only the qualification was published.
CREATE TABLE monev_results (
    agency_id     VARCHAR NOT NULL,
    year          INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    score         DOUBLE CHECK (score BETWEEN 0 AND 100),
    band          VARCHAR NOT NULL,
    source        VARCHAR,
    recorded_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (agency_id, year)
);
