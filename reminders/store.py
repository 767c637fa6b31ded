"""The reminders' warehouse I/O: read the snapshot, claim messages, record what happened.

Reads go through ``warehouse.db.read_only``; the three writes (claim, record, skip) each open
the file with ``warehouse.db.writing`` for one short transaction, so the file is never held
while a message is on its way to the SMTP server.
"""

from __future__ import annotations

from collections.abc import Iterable
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
    for (agency_id, _run, category_id, group, name, legal_basis, freshness, status,
         evidence_url, evidence_text, year, _checked) in _rows(con, "reminder_gaps"):
        gaps.setdefault(agency_id, []).append(Gap(
            category_id=category_id, group=group, name=name, legal_basis=legal_basis or "",
            freshness=freshness, status=status, evidence_url=evidence_url,
            evidence_text=evidence_text, document_year=year,
            upload_hint=hints.get(category_id, ""),
        ))
    agencies = {}
    for (agency_id, name, email, role, parent, url, run_id, reachable, score, band,
         checked_at, error) in _rows(con, "reminder_agencies"):
        agencies[agency_id] = AgencyState(
            id=agency_id, name=name, email=email or "", role=role, parent=parent or "", url=url,
            run_id=run_id, reachable=bool(reachable), score=score, band=band,
            checked_at=checked_at, gaps=tuple(gaps.get(agency_id, ())), error=error,
        )
    return Snapshot(agencies=agencies, log=tuple(read_log(con)))


def read_log(con: duckdb.DuckDBPyConnection) -> list[LogEntry]:
    return [
        LogEntry(id=r[0], agency_id=r[1], run_id=r[2], kind=r[3], channel=r[4],
                 recipients=r[5], cc=r[6], categories=tuple(r[7] or ()),
                 about_agencies=tuple(r[8] or ()), status=r[9], reason=r[10], error=r[11],
                 attempts=r[12], message_id=r[13], subject=r[14], created_at=r[15],
                 sent_at=r[16], score=r[18])
        for r in _rows(con, "reminder_log")
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


def log_rows(path: str | Path) -> list[LogEntry]:
    """The reminder log (for the CLI summary and tests)."""
    with warehouse_db.read_only(path) as con:
        return read_log(con)


def _rows(con: duckdb.DuckDBPyConnection, name: str, params: Iterable | None = None) -> list[tuple]:
    return con.execute(queries.sql(name), params).fetchall()
