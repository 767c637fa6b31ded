"""One reminder batch, end to end: load → plan → claim → (send → record) per message.

``run_reminders()`` is the only place the steps are put in order, as plain calls. The Prefect
flow ``send_reminders`` (``flows/reminders.py``) runs it, and ``pantau remind`` runs that flow,
as ``pantau crawl`` runs ``crawl_all``. See ``reminders/__init__.py`` for the delivery
guarantees.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from datetime import date
from pathlib import Path

from core.clock import local_now
from core.settings import Settings
from core.vocabulary import REMINDER_KIND_WORDS, RUN
from reminders import store
from reminders.delivery import SmtpNotConfigured, apprise_available, deliver
from reminders.model import Plan, Summary
from reminders.policy import plan as make_plan


class RemindersBusy(RuntimeError):
    """Another ``remind`` holds this database's reminder lock."""


def lock_path(db: str | Path) -> Path:
    """The lock file that keeps two reminder passes on one database apart."""
    return Path(f"{db}.remind.lock")


@contextmanager
def batch_lock(db: str | Path) -> Iterator[None]:
    """One sending batch per database at a time (an OS file lock, released when the process
    ends however it ends). Because of it, a ``pending`` row seen by a batch was left by one
    that died: the new batch retries it."""
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock; the claim step still refuses taken rows
        yield
        return
    path = lock_path(db)
    handle = open(path, "a+")
    try:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RemindersBusy(
                f"{db}: pengingat lain sedang berjalan untuk basis data ini (kunci {path})"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        yield
    finally:
        handle.close()  # closing releases the lock


def run_reminders(db: str | Path, settings: Settings, *, dry_run: bool = False,
                  log: logging.Logger | logging.LoggerAdapter | None = None,
                  today: date | None = None) -> Summary:
    """Plan and (unless ``dry_run``) send every reminder and digest due for the latest runs."""
    log = log or logging.getLogger("reminders")
    if not dry_run and not settings.smtp.host:
        raise SmtpNotConfigured()
    db = str(db)
    today = today or local_now(settings).date()
    with nullcontext() if dry_run else batch_lock(db):
        snapshot = store.load_snapshot(db)
        plan = make_plan(snapshot, settings, today, apprise_ready=apprise_available())
        summary = Summary(dry_run=dry_run, plan=plan)
        if dry_run:
            log.info("dry-run: %d pesan akan dikirim, %d dilewati; tidak ada yang dikirim/dicatat",
                     len(plan.messages), len(plan.skips))
            return summary
        claimed = store.claim(db, plan, local_now(settings))
        log.info("%d pesan diklaim untuk dikirim, %d dilewati, %d sudah terkirim sebelumnya",
                 len(claimed), len(plan.skips), plan.already_sent)
        for message in claimed:
            delivery = deliver(message, settings)
            store.record(db, message, delivery, local_now(settings))
            summary.results.append((message, delivery))
            if delivery.status == "sent":
                log.info("terkirim: %s (%s) → %s%s", message.agency_id, message.channel,
                         message.recipients_text, f" cc {', '.join(message.cc)}" if message.cc else "")
            else:
                log.warning("gagal: %s (%s) → %s: %s", message.agency_id, message.channel,
                            message.recipients_text, delivery.error)
    return summary


KIND_LABELS = {kind: word.lower() for kind, word in REMINDER_KIND_WORDS.items()}


def format_dry_run(plan: Plan) -> str:
    """Exactly what would be sent: recipients, subject and text body of every message."""
    lines = [f"UJI COBA (--dry-run) — {len(plan.messages)} pesan akan dikirim; "
             "tidak ada yang dikirim dan tidak ada yang dicatat.", ""]
    for number, m in enumerate(plan.messages, start=1):
        lines.append(f"=== Pesan {number}/{len(plan.messages)}: {KIND_LABELS.get(m.kind, m.kind)}, "
                     f"{m.agency_id}, kanal {m.channel}, {RUN} #{m.run_id} ===")
        lines.append(f"Kepada   : {m.recipients_text}")
        if m.cc:
            lines.append(f"Tembusan : {', '.join(m.cc)} (eskalasi)")
        if m.reply_to:
            lines.append(f"Balas ke : {m.reply_to}")
        lines.append(f"Subjek   : {m.subject}")
        if m.retry_of:
            lines.append(f"Catatan  : kirim ulang baris #{m.row_id} (status {m.retry_of})")
        lines.append("")
        lines.append(m.text.rstrip("\n"))
        lines.append("")
    lines += _skip_lines(plan)
    if plan.already_sent:
        lines.append(f"{plan.already_sent} pesan sudah terkirim sebelumnya (tidak dikirim ulang).")
    return "\n".join(lines).rstrip("\n") + "\n"


def format_summary(summary: Summary) -> str:
    """The Indonesian summary the CLI prints after sending."""
    lines = []
    for m, d in summary.results:
        target = m.recipients_text + (f" (tembusan {', '.join(m.cc)})" if m.cc else "")
        if d.status == "sent":
            lines.append(f"Terkirim : {m.agency_id} [{KIND_LABELS.get(m.kind, m.kind)}, {m.channel}] → {target}")
        else:
            lines.append(f"Gagal    : {m.agency_id} [{KIND_LABELS.get(m.kind, m.kind)}, {m.channel}] → "
                         f"{target}: {d.error} ({d.attempts} percobaan)")
    lines += _skip_lines(summary.plan)
    lines.append(
        f"Ringkasan: {summary.sent} terkirim, {summary.skipped} dilewati, {summary.failed} gagal"
        + (f"; {summary.plan.already_sent} sudah terkirim sebelumnya (tidak dikirim ulang)"
           if summary.plan.already_sent else "") + ".")
    if summary.failed:
        lines.append("Pesan yang gagal tetap tercatat 'failed' dan dicoba lagi pada "
                     "`pantau remind` berikutnya untuk "
                     f"{RUN} yang sama.")
    return "\n".join(lines) + "\n"


def _skip_lines(plan: Plan) -> list[str]:
    return [f"Dilewati : {s.agency_id} [{KIND_LABELS.get(s.kind, s.kind)}, {s.channel}]: {s.reason}"
            for s in plan.skips]
