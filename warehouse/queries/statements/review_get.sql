-- One review by id (any state). Parameter: $review_id.
SELECT * FROM reviews WHERE id = $review_id
