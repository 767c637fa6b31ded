"""The audit trail: one append-only row per change to what Pantau believes.

Declarations, refused declarations, reviews, overrides, lapses and user changes all call
:func:`record` inside the same transaction as the change itself, so a change without its
audit row cannot be committed. Nothing here updates or deletes a row.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import duckdb

from warehouse import queries

SYSTEM = "sistem"
"""The actor for what the crawl does by itself (a lapse, a confirmed declaration)."""
CLI = "cli"
"""The actor for a command run by whoever holds the machine."""


def reviewer_actor(username: str) -> str:
    """The actor name of a signed-in reviewer."""
    return f"pengguna:{username}"


def agency_actor(agency_id: str) -> str:
    """The actor name of an OPD acting through its reminder link's token."""
    return f"opd:{agency_id}"


def file_actor(path: str) -> str:
    """The actor name of the declarations file kept by the PPID Utama."""
    return f"berkas:{path}"


def record(con: duckdb.DuckDBPyConnection, *, at: datetime, actor: str, action: str,
           agency_id: str | None = None, category_id: str | None = None,
           before: dict[str, Any] | None = None, after: dict[str, Any] | None = None,
           note: str | None = None) -> int:
    """Append one audit row and return its id. ``at`` must carry its time zone."""
    if at.tzinfo is None:
        raise ValueError("audit times carry their time zone")
    rows = queries.execute(con, "audit_append", at=at, actor=actor, action=action,
                           agency_id=agency_id, category_id=category_id,
                           before=_json(before), after=_json(after), note=note)
    return int(rows[0]["id"])


def _json(value: dict[str, Any] | None) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, default=str)
