-- The latest status of every (agency, category), with the agency's role and parent and the
-- category's name and group, for the heatmap (status_source 'override': a reviewer's status,
-- marked). Unordered: the dashboard orders agencies as the user asks, and categories by
-- position.
SELECT f.agency_id, a.name AS agency_name, a.role, a.parent,
       f.category_id, c.name AS category_name, c.category_group, c.position, f.status,
       s.score, f.status_source
FROM latest_findings AS f
JOIN agencies AS a ON a.id = f.agency_id
JOIN categories AS c ON c.id = f.category_id
JOIN latest_scores AS s ON s.agency_id = f.agency_id
