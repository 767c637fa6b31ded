-- Record one official Monev result (replacing that agency's year): parameters in order
-- agency_id, year, score, band, source, recorded_at.
INSERT OR REPLACE INTO monev_results (agency_id, year, score, band, source, recorded_at)
VALUES (?, ?, ?, ?, ?, ?)
