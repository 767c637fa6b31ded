"""Declarations (an OPD's "klaim bukti") in the warehouse: recorded, checked, audited.

Three writers, each a short transaction with its audit rows (``warehouse.audit``):

- :func:`record_file_declarations` — the declarations file, read before a crawl. A row equal
  to the last declaration the file made for that agency and category is not recorded again;
  a changed URL or note closes the open declaration (``withdrawn_at``) and opens a new one;
  a file declaration whose row left the file is withdrawn. A declaration made through the
  form is not replaced by an unchanged file row.
- :func:`declare_from_form` — the dashboard form: spends the link's token (``token_uses``:
  a replayed token fails on its primary key) and opens the declarations in one transaction.
- :func:`check_rows` / :func:`audit_check_changes` — the crawl's ``declaration_checks`` rows,
  written inside the run's own transaction (``warehouse.load.write_run``), and an audit row
  whenever a declaration becomes confirmed or stops being so.

Refusals (a forged, expired or replayed token, a URL the agency may not declare) change
nothing but ``audit_log``: :func:`record_refusal`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import duckdb

from core.declarations import Declaration
from core.settings import CrawlSettings
from scrapers.crawling.declared import address_refusal, agency_guard, declared_host_refusal
from scrapers.crawling.guard import AddressGuard
from scrapers.detection.declared import DeclarationCheck, DeclaredUrl
from scrapers.detection.evidence import EvidenceIndex
from warehouse import audit, queries
from warehouse.db import transaction

FILE = "file"
FORM = "form"


class TokenSpent(Exception):
    """The form's token was already used for a submission (a replay)."""


@dataclass
class FileChanges:
    """What loading a declarations file changed."""

    added: int = 0
    replaced: int = 0
    withdrawn: int = 0
    unchanged: int = 0


def _declaration_dict(row: dict[str, Any]) -> dict[str, Any]:
    return {k: row.get(k) for k in ("id", "agency_id", "category_id", "url", "note", "source",
                                     "declared_by")}


def record_file_declarations(con: duckdb.DuckDBPyConnection, declarations: Sequence[Declaration],
                             path: str, at: datetime) -> FileChanges:
    """Record the declarations file's rows (see the module docstring), in one transaction."""
    actor = audit.file_actor(path)
    changes = FileChanges()
    with transaction(con):
        rows = queries.execute(con, "declarations_all")
        open_rows = {(r["agency_id"], r["category_id"]): r for r in rows if r["withdrawn_at"] is None}
        last_file = {(r["agency_id"], r["category_id"]): r for r in rows if r["source"] == FILE}
        in_file = set()
        for declaration in declarations:
            key = (declaration.agency_id, declaration.category_id)
            in_file.add(key)
            previous = last_file.get(key)
            if previous is not None and (previous["url"], previous["note"] or "") == (
                    declaration.url, declaration.note):
                changes.unchanged += 1
                continue
            current = open_rows.get(key)
            if current is not None:
                _withdraw(con, current, at)
                changes.replaced += 1
            else:
                changes.added += 1
            _open(con, declaration, FILE, actor, at, replaces=current)
        for key, current in open_rows.items():
            if current["source"] == FILE and key not in in_file:
                _withdraw(con, current, at)
                audit.record(con, at=at, actor=actor, action="declaration_withdrawn",
                             agency_id=key[0], category_id=key[1],
                             before=_declaration_dict(current), note="baris dihapus dari berkas")
                changes.withdrawn += 1
    return changes


def _withdraw(con: duckdb.DuckDBPyConnection, row: dict[str, Any], at: datetime) -> None:
    """Close an open declaration; its audit row is written by the caller (replaced, withdrawn)."""
    queries.execute(con, "declaration_withdraw", id=row["id"], at=at)


def _open(con: duckdb.DuckDBPyConnection, declaration: Declaration, source: str, actor: str,
          at: datetime, replaces: dict[str, Any] | None = None) -> int:
    new_id = int(queries.execute(
        con, "declaration_insert", agency_id=declaration.agency_id,
        category_id=declaration.category_id, url=declaration.url, note=declaration.note or None,
        source=source, declared_by=actor, declared_at=at)[0]["id"])
    after = {"id": new_id, "agency_id": declaration.agency_id,
             "category_id": declaration.category_id, "url": declaration.url,
             "note": declaration.note, "source": source, "declared_by": actor}
    audit.record(con, at=at, actor=actor,
                 action="declaration_replaced" if replaces else "declaration_added",
                 agency_id=declaration.agency_id, category_id=declaration.category_id,
                 before=_declaration_dict(replaces) if replaces else None, after=after)
    return new_id


def open_declarations(con: duckdb.DuckDBPyConnection) -> dict[str, list[DeclaredUrl]]:
    """The open declarations by agency id: what the next crawl checks."""
    result: dict[str, list[DeclaredUrl]] = {}
    for row in queries.records(con, "open_declarations"):
        result.setdefault(row["agency_id"], []).append(DeclaredUrl(
            int(row["declaration_id"]), row["agency_id"], row["category_id"], row["url"]))
    return result


def open_claims(con: duckdb.DuckDBPyConnection, agency_id: str | None = None) -> list[dict]:
    """Open declarations with their latest check (the ``open_claims`` named query)."""
    return queries.records(con, "open_claims", agency_id=agency_id)


def declare_from_form(con: duckdb.DuckDBPyConnection, *, agency_id: str, token_id: str,
                      declarations: Sequence[Declaration], at: datetime) -> list[int]:
    """Spend the token and open the form's declarations, in one transaction; raises
    TokenSpent when the token was used before (nothing is stored then)."""
    actor = audit.agency_actor(agency_id)
    with transaction(con):
        if queries.execute(con, "token_used", token_id=token_id):
            raise TokenSpent(token_id)
        try:
            queries.execute(con, "token_spend", token_id=token_id, agency_id=agency_id,
                            used_at=at)
        except duckdb.ConstraintException as exc:  # spent by a concurrent submission
            raise TokenSpent(token_id) from exc
        open_rows = {(r["agency_id"], r["category_id"]): r
                     for r in queries.execute(con, "declarations_all")
                     if r["withdrawn_at"] is None}
        ids = []
        for declaration in declarations:
            current = open_rows.get((agency_id, declaration.category_id))
            if current is not None:
                _withdraw(con, current, at)
            ids.append(_open(con, declaration, FORM, actor, at, replaces=current))
    return ids


def check_counts(con: duckdb.DuckDBPyConnection, run_id: int) -> dict[str, int]:
    """How the run's checks of declared URLs ended (``checked``, ``confirmed``, ``unconfirmed``)."""
    return queries.records(con, "declaration_check_counts", run_id=run_id)[0]


def token_used(con: duckdb.DuckDBPyConnection, token_id: str) -> bool:
    """Whether the token was already spent by a submission."""
    return bool(queries.execute(con, "token_used", token_id=token_id))


def record_refusal(con: duckdb.DuckDBPyConnection, *, actor: str, at: datetime, reason: str,
                   agency_id: str | None = None, category_id: str | None = None,
                   url: str | None = None) -> int:
    """An audit row for a refused declaration (``declaration_refused``); nothing else changes."""
    with transaction(con):
        return audit.record(con, at=at, actor=actor, action="declaration_refused",
                            agency_id=agency_id, category_id=category_id,
                            after={"url": url} if url else None, note=reason)


def form_url_refusal(agency_url: str, url: str, crawl_settings: CrawlSettings,
                     guard: AddressGuard | None = None) -> str | None:
    """Why the agency may not declare ``url`` (Indonesian), or None: the crawler's own rules
    (http(s), the agency's site or a known publication host, an address its crawl's guard
    allows). For the dashboard form, which sits on the warehouse."""
    refusal = declared_host_refusal(agency_url, url)
    if refusal:
        return refusal
    guard = guard or agency_guard(agency_url, crawl_settings)
    return address_refusal(url, guard, crawl_settings.connect_timeout)


# --- the crawl's checks, written with the run -------------------------------------------

CHECK_COLUMNS = ("declaration_id", "agency_id", "category_id", "url", "confirmed", "reason",
                 "status_code", "content_type", "bytes", "sha256", "checked_at")


def check_rows(run_id: int, checks: Iterable[DeclarationCheck], at: datetime) -> list[dict]:
    """``declaration_checks`` rows of one run."""
    return [{"run_id": run_id, **{name: getattr(c, name) for name in CHECK_COLUMNS},
             "checked_at": c.checked_at or at} for c in checks]


def evidence_indexes(checks: Iterable[DeclarationCheck]) -> dict[int, EvidenceIndex]:
    """The answers of each confirmed declaration's crawl, by declaration id: a finding the
    declaration gave takes its evidence bundle from there (``warehouse.load``)."""
    return {c.declaration_id: EvidenceIndex(c.crawl) for c in checks
            if c.confirmed and c.crawl is not None}


def audit_check_changes(con: duckdb.DuckDBPyConnection, checks: Sequence[DeclarationCheck],
                        run_id: int, at: datetime) -> int:
    """An audit row (actor ``sistem``) for each declaration whose confirmation changed since
    its last check (a first check that confirms counts as a change). Call inside the run's
    transaction, before its checks are inserted. Returns the number of rows added."""
    before = {r["declaration_id"]: r["confirmed"]
              for r in queries.execute(con, "declaration_last_checks")}
    added = 0
    for check in checks:
        previous = before.get(check.declaration_id)
        if previous == check.confirmed or (previous is None and not check.confirmed):
            continue
        audit.record(con, at=at, actor=audit.SYSTEM,
                     action="declaration_confirmed" if check.confirmed else "declaration_unconfirmed",
                     agency_id=check.agency_id, category_id=check.category_id,
                     before=None if previous is None else {"confirmed": previous},
                     after={"declaration_id": check.declaration_id, "confirmed": check.confirmed,
                            "run_id": run_id, "url": check.url},
                     note=check.reason or None)
        added += 1
    return added
