"""The reminders' warehouse I/O: read the snapshot, claim messages, record what happened.

Reads go through ``warehouse.db.read_only``; the three writes (claim, record, skip) each open
the file with ``warehouse.db.writing`` for one short transaction, so the file is never held
while a message is on its way to the SMTP server. The SQL is the warehouse's: named queries
(``reminder_*``) and statements (``queries/statements/reminder_*.sql``), rows read by name.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb

from reminders.model import (
    AgencyState,
    Delivery,
    Gap,
    LogEntry,
    Message,
    Overdue,
    Plan,
    Skip,
    Snapshot,
)
from warehouse import db as warehouse_db
from warehouse import queries


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


def read_snapshot(con: duckdb.DuckDBPyConnection) -> Snapshot:
    """Every agency's latest run with its gaps (with what to upload, as the categories table
    has it from the last crawl), and the whole reminder log."""
    gaps: dict[str, list[Gap]] = {}
    for r in queries.records(con, "reminder_gaps"):
        gaps.setdefault(r["agency_id"], []).append(Gap(
            category_id=r["category_id"], group=r["category_group"], name=r["category_name"],
            legal_basis=r["legal_basis"] or "", freshness=r["freshness"], status=r["status"],
            evidence_url=r["evidence_url"], evidence_text=r["evidence_text"],
            document_year=r["document_year"], upload_hint=r["upload_hint"] or "",
            override_reason=r.get("review_reason") or "",
        ))
    agencies = {}
    for r in queries.records(con, "reminder_agencies"):
        agencies[r["agency_id"]] = AgencyState(
            id=r["agency_id"], name=r["name"], email=r["email"] or "", role=r["role"],
            parent=r["parent"] or "", url=r["url"], run_id=r["run_id"],
            reachable=bool(r["reachable"]), score=r["score"], band=r["band"],
            checked_at=r["checked_at"], gaps=tuple(gaps.get(r["agency_id"], ())),
            error=r["error"], site_changed=bool(r["site_changed"]),
            last_seen_at=r["last_seen_at"], unreachable_since=r["unreachable_since"],
        )
    names = {r["category_id"]: r["name"] for r in queries.records(con, "category_names")}
    reminded: dict[str, list[Overdue]] = {}
    for r in queries.records(con, "open_reminders"):
        reminded.setdefault(r["agency_id"], []).append(
            Overdue(r["category_id"], names.get(r["category_id"], r["category_id"]),
                    r["reply_by"], r["sent_at"]))
    return Snapshot(agencies=agencies, log=tuple(read_log(con)), category_names=names,
                    open_reminders={a: tuple(items) for a, items in reminded.items()})


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


def load_snapshot(path: str | Path) -> Snapshot:
    """Migrate if needed, then read the snapshot read-only."""
    ensure_schema(path)
    with warehouse_db.read_only(path) as con:
        return read_snapshot(con)


def claim(path: str | Path, plan: Plan, now: datetime) -> list[Message]:
    """Log the plan before anything is sent, in one transaction: each message as ``pending``
    (a new row, or its ``failed``/``pending`` row again) and each new skip as ``skipped``.

    Returns the messages with their row ids. A message whose key the log already shows as
    ``sent`` or freshly ``pending`` (another batch claimed it after this plan was made) is
    dropped: it is never sent twice."""
    with warehouse_db.writing(path) as con:
        return claim_on(con, plan, now)


def claim_on(con: duckdb.DuckDBPyConnection, plan: Plan, now: datetime) -> list[Message]:
    """``claim`` on an open connection, in one transaction."""
    claimed: list[Message] = []
    with warehouse_db.transaction(con):
        for message in plan.messages:
            taken = _taken(con, message)
            content = {"recipients": message.recipients_text, "cc": ", ".join(message.cc) or None,
                       "categories": list(message.categories),
                       "about_agencies": list(message.about_agencies),
                       "subject": message.subject, "message_id": message.message_id, "now": now,
                       "reply_by": message.reply_by}
            if message.row_id is None:
                if taken:
                    continue
                (row,) = queries.execute(con, "reminder_claim", **_key(message), **content)
                claimed.append(_with_row(message, row["id"]))
            else:
                if any(row_id != message.row_id for row_id in taken):
                    continue
                rows = queries.execute(con, "reminder_row_status", id=message.row_id)
                if not rows or rows[0]["status"] not in ("pending", "failed"):
                    continue
                queries.execute(con, "reminder_reclaim", id=message.row_id, **content)
                claimed.append(message)
        for skip in plan.skips:
            if not skip.new:
                continue
            queries.execute(con, "reminder_skip", **_key(skip), categories=list(skip.categories),
                            about_agencies=list(skip.about_agencies), reason=skip.reason, now=now)
    return claimed


def _key(item: Message | Skip) -> dict:
    """What identifies a message in the log: agency, run, kind, channel."""
    return {"agency_id": item.agency_id, "run_id": item.run_id, "kind": item.kind,
            "channel": item.channel}


def _taken(con: duckdb.DuckDBPyConnection, message: Message) -> list[int]:
    """Row ids already holding this message's key as pending, sent or failed."""
    return [r["id"] for r in queries.execute(con, "reminder_taken", **_key(message))]


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
    queries.execute(con, "reminder_record", id=message.row_id, status=delivery.status,
                    reason=reason, error=delivery.error, attempts=delivery.attempts,
                    sent_at=delivery.sent_at, now=now)

