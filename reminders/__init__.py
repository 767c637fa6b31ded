"""Reminders: tell each OPD what it has not uploaded, once, and log it.

After each crawl, every agency whose latest run lacks categories (``missing``, ``broken``,
``stale``) gets one message in Bahasa Indonesia — its score and band, each missing category
with its legal basis and what to upload, the dead links, the stale documents (year found,
year expected), a reply-by date, its PPID Utama's contact and a link to its dashboard page.
The PPID Utama gets one digest of the sites that could not be crawled. The rules (interval,
escalation, skips) are in ``policy``; templates in ``compose``; sending in ``delivery``; the
warehouse I/O in ``store``; the order of the steps in ``service.run_reminders``.

Delivery guarantees
-------------------
Every message has a key: (agency, run, kind, channel). Its row in the ``reminders`` table
goes through ``pending`` → ``sent`` | ``failed``:

1. **Claim** — before anything is sent, one transaction logs every planned message as a
   ``pending`` row (with its recipients, categories and a Message-ID fixed now) and every
   new skip as ``skipped``.
2. **Send** — one message at a time, the DuckDB file closed meanwhile; failed sends are
   retried ``send_retries`` times with backoff.
3. **Record** — right after each send, a short transaction marks the row ``sent`` (with
   ``sent_at``) or ``failed`` (with the last error). ``attempts`` adds up across batches.

On the next ``remind`` (or flow run):

- a key with a ``sent`` row is never sent again;
- a ``failed`` row of the agency's current run is retried (same row, same Message-ID);
  if a newer run exists it stays ``failed`` for the record and the new run gets its own;
- a ``pending`` row means a batch died between sending and recording (or before sending):
  nobody knows whether the message left. It is **retried** — at-least-once for that window of
  a few milliseconds, at-most-once everywhere else. The retry reuses the Message-ID, so mail
  systems that de-duplicate by Message-ID show one message. Only one batch per database runs
  at a time (an OS lock on ``<db>.remind.lock``, freed when its process dies), so a
  ``pending`` row seen by a batch is always one left by a dead batch, never one in flight.
- ``skipped`` rows are notes, not outcomes: the key is decided again next time (an agency
  skipped for the interval rule is reminded once the interval has passed); the same skip is
  not logged twice.

``--dry-run`` prints the plan (recipients, subject, text body of every message, the skips)
and neither sends nor writes anything (it may migrate an older database's schema).
"""

from reminders.delivery import SmtpNotConfigured
from reminders.model import Delivery, Message, Plan, Skip, Snapshot, Summary
from reminders.service import (
    RemindersBusy,
    format_dry_run,
    format_summary,
    run_reminders,
)

__all__ = [
    "Delivery", "Message", "Plan", "RemindersBusy", "Skip", "SmtpNotConfigured", "Snapshot",
    "Summary", "format_dry_run", "format_summary", "run_reminders",
]
