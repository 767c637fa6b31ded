-- 0012: views report their columns' real types. DuckDB fixes a view's column types when the
-- view is created, so latest_scores and score_history (0002) still told information_schema
-- (and the tools that read it: DBeaver, the duckdb CLI's .schema, pandas' dtypes) that
-- checked_at is a TIMESTAMP without zone after 0007 gave the tables TIMESTAMPTZ. Recreated
-- unchanged. The migration table's own times carry their zone too (they were written in UTC).
CREATE OR REPLACE VIEW latest_scores AS
SELECT agency_id, score, band, run_id, checked_at
FROM latest_agency_runs;

CREATE OR REPLACE VIEW score_history AS
SELECT agency_id, run_id, checked_at, score, band
FROM completed_agency_runs;

ALTER TABLE schema_version ALTER COLUMN applied_at TYPE TIMESTAMPTZ
    USING timezone('UTC', applied_at);
