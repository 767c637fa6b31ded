"""The scheduled re-check of unconfirmed drops (``trust.recheck_after_hours`` after a crawl).

A drop held back at a crawl (``held_reason = 'unconfirmed'``) can be settled before the next
crawl: ``pending_rechecks`` lists the old evidence URLs, the flow asks them again, and
``apply_rechecks`` settles each finding of that latest run in one transaction — still failing
and now at ``drop_confirmations`` failures: the drop counts (status becomes the detector's,
score and band of that run are recomputed); still failing below that: one more check is
counted; answering again: the document is not removed (``evidence_live``). Every answer is
logged in ``evidence_checks``. This is the only change ever made to a stored run, and only
to the findings the run itself marked as awaiting this check.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

import duckdb

from scrapers.model import DocumentCheck
from warehouse import queries, scoring


@dataclass(frozen=True)
class PendingDrop:
    """A drop held back in an agency's latest run, with the URL to ask again."""

    run_id: int
    agency_id: str
    category_id: str
    evidence_url: str | None
    detector_status: str
    drop_checks: int
    insecure_tls: bool = False
    agency_url: str = ""
    """The agency's registry URL (its address guard is the crawl's)."""


def pending_rechecks(con: duckdb.DuckDBPyConnection) -> list[PendingDrop]:
    """Every unconfirmed drop of the agencies' latest runs."""
    return [PendingDrop(*row) for row in con.execute(queries.sql("pending_rechecks")).fetchall()]


def apply_rechecks(con: duckdb.DuckDBPyConnection, pending: list[PendingDrop],
                   answers: Mapping[str, DocumentCheck], *, confirmations: int,
                   now: datetime) -> dict[str, int]:
    """Settle the pending drops with the answers (by URL); returns counts of what happened."""
    counts = {"confirmed": 0, "still_pending": 0, "answered": 0}
    touched: set[tuple[int, str]] = set()
    con.execute("BEGIN TRANSACTION")
    try:
        for drop in pending:
            answer = answers.get(drop.evidence_url or "")
            key = [drop.run_id, drop.agency_id, drop.category_id]
            if answer is not None and answer.ok:
                con.execute("UPDATE findings SET confirmed = true, held_reason = 'evidence_live',"
                            " drop_checks = 0 WHERE run_id = ? AND agency_id = ? AND category_id = ?",
                            key).fetchall()
                counts["answered"] += 1
            elif drop.drop_checks + 1 >= confirmations:
                con.execute(
                    "UPDATE findings SET status = detector_status, confirmed = true,"
                    " held_reason = NULL, drop_checks = drop_checks + 1,"
                    " evidence_url = CASE WHEN detector_status = 'broken' THEN evidence_url END,"
                    " evidence_text = CASE WHEN detector_status = 'broken' THEN evidence_text END,"
                    " document_year = NULL"
                    " WHERE run_id = ? AND agency_id = ? AND category_id = ?", key).fetchall()
                counts["confirmed"] += 1
                touched.add((drop.run_id, drop.agency_id))
            else:
                con.execute("UPDATE findings SET drop_checks = drop_checks + 1"
                            " WHERE run_id = ? AND agency_id = ? AND category_id = ?",
                            key).fetchall()
                counts["still_pending"] += 1
        for run_id, agency_id in sorted(touched):
            _rescore(con, run_id, agency_id)
        rows = [[drop.run_id, drop.agency_id, a.url, a.ok, a.status, a.reason or None,
                 a.checked_at or now]
                for drop in pending if (a := answers.get(drop.evidence_url or "")) is not None]
        if rows:
            con.executemany("INSERT INTO evidence_checks VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return counts


def _rescore(con: duckdb.DuckDBPyConnection, run_id: int, agency_id: str) -> None:
    rows = con.execute(
        "SELECT f.category_id, f.status, c.weight FROM findings AS f"
        " JOIN categories AS c ON c.id = f.category_id WHERE f.run_id = ? AND f.agency_id = ?",
        [run_id, agency_id]).fetchall()
    value = scoring.score({c: s for c, s, _ in rows}, {c: w for c, _, w in rows})
    con.execute("UPDATE agency_runs SET score = ?, band = ? WHERE run_id = ? AND agency_id = ?",
                [value, scoring.band(value), run_id, agency_id]).fetchall()
