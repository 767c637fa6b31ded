-- Follow-up after reminders per agency (followup_by_agency) with its name, the slowest and
-- least responsive first. Columns: agency_id, name, reminders, categories_reminded, fixed,
-- fixed_by_reply_by, share_fixed_by_reply_by, median_days_to_fix, first_reminded_at,
-- last_reminded_at, open_past_reply_by, never_responded.
SELECT f.agency_id, a.name, f.reminders, f.categories_reminded, f.fixed, f.fixed_by_reply_by,
       f.share_fixed_by_reply_by, f.median_days_to_fix, f.first_reminded_at,
       f.last_reminded_at, f.open_past_reply_by, f.never_responded
FROM followup_by_agency AS f
JOIN agencies AS a ON a.id = f.agency_id
ORDER BY f.never_responded DESC, f.share_fixed_by_reply_by, a.name
