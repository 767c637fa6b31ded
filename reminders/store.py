"""The reminders' warehouse I/O: read the snapshot, claim messages, record what happened.

Reads go through ``warehouse.db.read_only``; the three writes (claim, record, skip) each open
the file with ``warehouse.db.writing`` for one short transaction, so the file is never held
while a message is on its way to the SMTP server.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb

from core.checklist import load_checklist
from reminders.model import (
    AgencyState,
    Delivery,
    Gap,
    LogEntry,
    Message,
    Plan,
    Snapshot,
)
from warehouse import db as warehouse_db
from warehouse import queries
from warehouse.load import rollback_quietly


def ensure_schema(path: str | Path) -> None:
    """Migrate an older database (the reminders need migration 0004); never creates a file."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: berkas basis data tidak ada (jalankan `pantau crawl` dulu)")
    with warehouse_db.read_only(path) as con:
        if warehouse_db.schema_version(con) >= warehouse_db.latest_version():
            return
    with warehouse_db.writing(path):
        pass  # opening for writing migrates


def upload_hints(extension_files: tuple[str, ...] = ()) -> dict[str, str]:
    """``{category_id: upload_hint}`` from the checklist (bundled plus a region's files)."""
    return {c.id: c.upload_hint for c in load_checklist(*extension_files)}


def read_snapshot(con: duckdb.DuckDBPyConnection, hints: dict[str, str] | None = None) -> Snapshot:
    """Every agency's latest run with its gaps, and the whole reminder log."""
    hints = hints or {}
    gaps: dict[str, list[Gap]] = {}
    for r in queries.records(con, "reminder_gaps"):
        gaps.setdefault(r["agency_id"], []).append(Gap(
            category_id=r["category_id"], group=r["category_group"], name=r["category_name"],
            legal_basis=r["legal_basis"] or "", freshness=r["freshness"], status=r["status"],
            evidence_url=r["evidence_url"], evidence_text=r["evidence_text"],
            document_year=r["document_year"], upload_hint=hints.get(r["category_id"], ""),
        ))
    agencies = {}
    for r in queries.records(con, "reminder_agencies"):
        agencies[r["agency_id"]] = AgencyState(
            id=r["agency_id"], name=r["name"], email=r["email"] or "", role=r["role"],
            parent=r["parent"] or "", url=r["url"], run_id=r["run_id"],
            reachable=bool(r["reachable"]), score=r["score"], band=r["band"],
            checked_at=r["checked_at"], gaps=tuple(gaps.get(r["agency_id"], ())),
            error=r["error"],
        )
    return Snapshot(agencies=agencies, log=tuple(read_log(con)))


def read_log(con: duckdb.DuckDBPyConnection) -> list[LogEntry]:
    """Every row of the reminder log, oldest first."""
    return [
        LogEntry(id=r["id"], agency_id=r["agency_id"], run_id=r["run_id"], kind=r["kind"],
                 channel=r["channel"], recipients=r["recipients"], cc=r["cc"],
                 categories=tuple(r["categories"] or ()),
                 about_agencies=tuple(r["about_agencies"] or ()), status=r["status"],
                 reason=r["reason"], error=r["error"], attempts=r["attempts"],
                 message_id=r["message_id"], subject=r["subject"], created_at=r["created_at"],
                 sent_at=r["sent_at"], score=r["score"])
        for r in queries.records(con, "reminder_log")
    ]


def load_snapshot(path: str | Path, checklist_files: tuple[str, ...] = ()) -> Snapshot:
    """Migrate if needed, then read the snapshot read-only."""
    ensure_schema(path)
    hints = upload_hints(checklist_files)
    with warehouse_db.read_only(path) as con:
        return read_snapshot(con, hints)


def claim(path: str | Path, plan: Plan, now: datetime) -> list[Message]:
    """Log the plan before anything is sent, in one transaction: each message as ``pending``
    (a new row, or its ``failed``/``pending`` row again) and each new skip as ``skipped``.

    Returns the messages with their row ids. A message whose key the log already shows as
    ``sent`` or freshly ``pending`` (another batch claimed it after this plan was made) is
    dropped: it is never sent twice."""
    with warehouse_db.writing(path) as con:
        return claim_on(con, plan, now)


def claim_on(con: duckdb.DuckDBPyConnection, plan: Plan, now: datetime) -> list[Message]:
    """Mark the plan's messages ``pending`` in one transaction; the ones this pass may send."""
    claimed: list[Message] = []
    con.execute("BEGIN TRANSACTION")
    try:
        for message in plan.messages:
            taken = _taken(con, message)
            if message.row_id is None:
                if taken:
                    continue
                row_id = warehouse_db.scalar(
                    con,
                    "INSERT INTO reminders (agency_id, run_id, kind, channel, recipients, cc,"
                    " categories, about_agencies, subject, message_id, status, attempts,"
                    " created_at, updated_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?) RETURNING id",
                    [message.agency_id, message.run_id, message.kind, message.channel,
                     message.recipients_text, ", ".join(message.cc) or None,
                     list(message.categories), list(message.about_agencies), message.subject,
                     message.message_id, now, now],
                )
                claimed.append(_with_row(message, row_id))
            else:
                if any(row_id != message.row_id for row_id in taken):
                    continue
                status = warehouse_db.scalar(
                    con, "SELECT status FROM reminders WHERE id = ?", [message.row_id])
                if status not in ("pending", "failed"):
                    continue
                con.execute(
                    "UPDATE reminders SET status = 'pending', recipients = ?, cc = ?,"
                    " categories = ?, about_agencies = ?, subject = ?, message_id = ?,"
                    " updated_at = ? WHERE id = ?",
                    [message.recipients_text, ", ".join(message.cc) or None,
                     list(message.categories), list(message.about_agencies), message.subject,
                     message.message_id, now, message.row_id],
                ).fetchall()
                claimed.append(message)
        for skip in plan.skips:
            if not skip.new:
                continue
            con.execute(
                "INSERT INTO reminders (agency_id, run_id, kind, channel, categories,"
                " about_agencies, status, reason, attempts, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, 'skipped', ?, 0, ?, ?)",
                [skip.agency_id, skip.run_id, skip.kind, skip.channel, list(skip.categories),
                 list(skip.about_agencies), skip.reason, now, now],
            ).fetchall()
        con.execute("COMMIT")
    except Exception:
        rollback_quietly(con)  # a full disk: keep its cause, not "cannot rollback"
        raise
    return claimed


def _taken(con: duckdb.DuckDBPyConnection, message: Message) -> list[int]:
    """Row ids already holding this message's key as pending, sent or failed."""
    rows = con.execute(
        "SELECT id FROM reminders WHERE agency_id = ? AND run_id = ? AND kind = ? AND channel = ?"
        " AND status IN ('pending', 'sent', 'failed')",
        [message.agency_id, message.run_id, message.kind, message.channel],
    ).fetchall()
    return [r[0] for r in rows]


def _with_row(message: Message, row_id: int) -> Message:
    from dataclasses import replace

    return replace(message, row_id=row_id)


def record(path: str | Path, message: Message, delivery: Delivery, now: datetime) -> None:
    """Mark one claimed message ``sent`` or ``failed`` (attempts add up across runs)."""
    with warehouse_db.writing(path) as con:
        record_on(con, message, delivery, now)


def record_on(con: duckdb.DuckDBPyConnection, message: Message, delivery: Delivery,
              now: datetime) -> None:
    """Record the outcome of sending one claimed message."""
    if message.row_id is None:
        raise ValueError("a message is recorded only after it was claimed")
    reason = None
    if delivery.status == "failed":
        reason = f"gagal dikirim setelah {delivery.attempts} percobaan; dicoba lagi pada pengingat berikutnya"
    con.execute(
        "UPDATE reminders SET status = ?, reason = ?, error = ?, attempts = attempts + ?,"
        " sent_at = ?, updated_at = ? WHERE id = ?",
        [delivery.status, reason, delivery.error, delivery.attempts, delivery.sent_at, now,
         message.row_id],
    ).fetchall()

