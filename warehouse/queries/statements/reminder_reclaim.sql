-- Claim a message's earlier 'pending' or 'failed' row again (a retry keeps its row and its
-- Message-ID). Parameters: $id, $recipients, $cc, $categories, $about_agencies, $subject,
-- $message_id, $now.
UPDATE reminders
SET status = 'pending', recipients = $recipients, cc = $cc, categories = $categories,
    about_agencies = $about_agencies, subject = $subject, message_id = $message_id,
    updated_at = $now
WHERE id = $id
