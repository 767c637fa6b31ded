-- Follow-up after reminders per category (followup_by_category) with its name, in checklist
-- order. Columns: category_id, name, times_reminded, agencies, fixed, fixed_by_reply_by,
-- share_fixed_by_reply_by, median_days_to_fix.
SELECT f.category_id, c.name, f.times_reminded, f.agencies, f.fixed, f.fixed_by_reply_by,
       f.share_fixed_by_reply_by, f.median_days_to_fix
FROM followup_by_category AS f
JOIN categories AS c ON c.id = f.category_id
ORDER BY c.position
