-- The official Monev results recorded for one agency, newest year first: year, score, band,
-- source. Parameter: $agency_id.
SELECT year, score, band, source
FROM monev_results
WHERE agency_id = $agency_id
ORDER BY year DESC
