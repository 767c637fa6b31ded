"""Reviews: a signed-in reviewer confirms a finding or overrides its status, with a reason.

An override becomes the finding's effective status in place (``findings.status``, source
``override``, ``review_id``; what the run said is kept in ``crawler_status``/``crawler_source``)
and the agency's score of that run is computed again, all in one short transaction with its
audit rows, so the contract views, the dashboard, exports, reports and reminders all see the
effective status without knowing about reviews.

Each later crawl carries the overrides in force into its run (:func:`plan_run` before the
scores are computed, :meth:`RunReviews.store` inside the run's transaction) — or lets one
lapse by itself when the detector's own status for that finding differs from the one the
override judged, or the evidence's SHA-256 changed (compared only when both are known).
A reviewer may revoke an override; the latest run's finding then goes back to what the run
said.

Concurrency: a save is a compare-and-set on the finding's ``review_id`` (and its run): of two
reviewers saving the same finding at once one wins, the other gets :class:`ReviewConflict`
(its attempt is kept in the audit trail, and the page keeps the reviewer's input). Revoking
compares ``reviews.version``. Every write is one short transaction (milliseconds), so a
dashboard save never holds the file for a crawl's write.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

import duckdb

from core.vocabulary import (
    BROKEN,
    FOUND,
    MISSING,
    SOURCE_OVERRIDE,
    STALE,
    UNREACHABLE,
)
from scrapers.detection.evidence import EvidenceIndex
from warehouse import audit, queries, scoring

OVERRIDE_STATUSES = (FOUND, STALE, BROKEN, MISSING)
"""The statuses a reviewer may set (``unreachable`` is never a judgement)."""


class ReviewRefused(ValueError):
    """A review that cannot be saved as given (message in Indonesian; nothing was stored)."""


class ReviewConflict(RuntimeError):
    """Someone else saved this finding (or a new run arrived) since the page was drawn."""


@dataclass(frozen=True)
class ReviewTarget:
    """The latest finding of one (agency, category) as a reviewer sees it."""

    agency_id: str
    category_id: str
    run_id: int
    status: str
    status_source: str | None
    detector_status: str | None
    crawler_status: str | None
    crawler_source: str | None
    evidence_url: str | None
    evidence_sha256: str | None
    review_id: int | None
    review_kind: str | None
    review_status: str | None
    replaced_status: str | None
    review_reason: str | None
    reviewer: str | None
    reviewed_at: datetime | None
    review_version: int | None

    @property
    def overridden(self) -> bool:
        """Whether an override is in force on this finding."""
        return self.status_source == SOURCE_OVERRIDE


def target(con: duckdb.DuckDBPyConnection, agency_id: str, category_id: str) -> ReviewTarget | None:
    """The latest finding of (agency, category), None when there is none."""
    rows = queries.execute(con, "review_target", agency_id=agency_id, category_id=category_id)
    return ReviewTarget(**rows[0]) if rows else None


def clean_reason(reason: str | None, max_chars: int) -> str:
    """The reason as stored: required, at most ``max_chars`` characters, control characters
    (other than line breaks) refused; shown everywhere as text."""
    text = (reason or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise ReviewRefused("Alasan koreksi wajib diisi.")
    if len(text) > max_chars:
        raise ReviewRefused(f"Alasan terlalu panjang: {len(text)} karakter, maksimal {max_chars}.")
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co") and ch not in "\n\t"
           for ch in text):
        raise ReviewRefused("Alasan memuat karakter kendali yang tidak diizinkan.")
    return text


def confirm(con: duckdb.DuckDBPyConnection, *, agency_id: str, category_id: str,
            expected_run_id: int, expected_review_id: int | None, reviewer: str,
            at: datetime) -> int:
    """A reviewer confirms the finding as shown; returns the review id."""
    with _transaction(con):
        found = _checked_target(con, agency_id, category_id, expected_run_id,
                                expected_review_id, reviewer, at, attempt={"kind": "confirm"})
        if found.overridden:
            raise ReviewRefused("Temuan ini sedang dikoreksi; cabut koreksinya dulu bila status "
                                "dari pemantau memang benar.")
        review_id = _insert_review(con, found, kind="confirm", status=found.status,
                                   reason=None, reviewer=reviewer, at=at)
        _take(con, found, review_id, None, reviewer, at, {"kind": "confirm"})
        audit.record(con, at=at, actor=audit.reviewer_actor(reviewer), action="review_confirm",
                     agency_id=agency_id, category_id=category_id,
                     before=_finding_state(found), after={"review_id": review_id,
                                                          "status": found.status,
                                                          "at": at.isoformat()})
    return review_id


def override(con: duckdb.DuckDBPyConnection, *, agency_id: str, category_id: str, status: str,
             reason: str, expected_run_id: int, expected_review_id: int | None,
             reviewer: str, at: datetime, max_reason: int = 500) -> int:
    """A reviewer overrides the finding's status with a reason; returns the review id.

    The status becomes the effective one at once (the latest run's score of the agency is
    computed again in the same transaction). An override already in force on the finding is
    replaced (closed, with its own audit row)."""
    if status not in OVERRIDE_STATUSES:
        raise ReviewRefused(f"Status koreksi tidak dikenal: {status!r}.")
    text = clean_reason(reason, max_reason)
    attempt = {"kind": "override", "status": status, "reason": text}
    with _transaction(con):
        found = _checked_target(con, agency_id, category_id, expected_run_id,
                                expected_review_id, reviewer, at, attempt=attempt)
        if status == found.status:
            raise ReviewRefused("Status koreksi sama dengan status yang berlaku; gunakan "
                                "\"Benarkan\" bila temuan ini sudah benar.")
        actor = audit.reviewer_actor(reviewer)
        if found.overridden and found.review_id is not None:
            _close_review(con, found.review_id, found.review_version or 1, actor, at,
                          action="override_replaced", restore=False)
        review_id = _insert_review(con, found, kind="override", status=status, reason=text,
                                   reviewer=reviewer, at=at)
        _take(con, found, review_id, status, reviewer, at, attempt)
        audit.record(con, at=at, actor=actor, action="override", agency_id=agency_id,
                     category_id=category_id, before=_finding_state(found),
                     after={"review_id": review_id, "status": status,
                            "status_source": SOURCE_OVERRIDE, "reason": text,
                            "replaced_status": found.status, "at": at.isoformat()},
                     note=text)
        rescore(con, found.run_id, agency_id, actor=actor, at=at)
    return review_id


def revoke(con: duckdb.DuckDBPyConnection, *, review_id: int, expected_version: int,
           reviewer: str, at: datetime) -> None:
    """A reviewer revokes an override in force: the latest run's finding goes back to what
    the run said and the score is computed again."""
    with _transaction(con):
        _close_review(con, review_id, expected_version, audit.reviewer_actor(reviewer), at,
                      action="override_revoked", restore=True)


def _close_review(con, review_id: int, expected_version: int, actor: str, at: datetime, *,
                  action: str, restore: bool) -> None:
    """Close a review in force (compare-and-set on its version); with ``restore`` the latest
    run's finding that carries it goes back to what the run said (a replacing override
    takes the finding over itself instead)."""
    closed = queries.execute(con, "review_close", review_id=review_id,
                             expected_version=expected_version, at=at, by=actor)
    if not closed:
        current = queries.execute(con, "review_get", review_id=review_id)
        raise ReviewConflict(_closed_message(current[0] if current else None))
    row = closed[0]
    restored = []
    latest = target(con, row["agency_id"], row["category_id"])
    if restore and latest is not None and latest.review_id == review_id:
        restored = queries.execute(con, "finding_drop_override", run_id=latest.run_id,
                                   review_id=review_id)
    audit.record(con, at=at, actor=actor, action=action, agency_id=row["agency_id"],
                 category_id=row["category_id"],
                 before={"review_id": review_id, "status": row["status"],
                         "reason": row["reason"], "reviewer": row["reviewer"]},
                 after={"revoked_at": at.isoformat(), "version": row["version"],
                        "status": restored[0]["status"] if restored else None,
                        "status_source": restored[0]["status_source"] if restored else None})
    if restored and latest is not None:
        rescore(con, latest.run_id, row["agency_id"], actor=actor, at=at)


def _closed_message(row: Mapping[str, Any] | None) -> str:
    if row is None:
        return "Koreksi itu tidak ada lagi; muat ulang halaman."
    if row.get("lapsed_at") is not None:
        return "Koreksi itu sudah gugur dengan sendirinya (bukti berubah); muat ulang halaman."
    if row.get("revoked_at") is not None:
        return (f"Koreksi itu sudah dicabut oleh {row.get('revoked_by')}; "
                "muat ulang halaman untuk melihat keadaan terbaru.")
    return "Koreksi itu baru saja diubah oleh peninjau lain; muat ulang halaman."


def rescore(con: duckdb.DuckDBPyConnection, run_id: int, agency_id: str, *, actor: str,
            at: datetime) -> scoring.Scored:
    """Score one agency's run again from its stored statuses (after a review changed one),
    with an audit row when the score or band moved."""
    rows = queries.execute(con, "run_statuses", run_id=run_id, agency_id=agency_id)
    statuses = {r["category_id"]: r["status"] for r in rows}
    weights = {r["category_id"]: r["weight"] for r in rows}
    new = scoring.scored(statuses, weights)
    old = queries.execute(con, "agency_run_score", run_id=run_id, agency_id=agency_id)
    if not old or (old[0]["score"] == new.score and old[0]["band"] == new.band):
        return new
    queries.execute(con, "agency_run_rescore", run_id=run_id, agency_id=agency_id,
                    score=new.score, band=new.band)
    audit.record(con, at=at, actor=actor, action="rescore", agency_id=agency_id,
                 before={"run_id": run_id, "score": old[0]["score"], "band": old[0]["band"]},
                 after={"run_id": run_id, "score": new.score, "band": new.band})
    return new


def _checked_target(con, agency_id: str, category_id: str, expected_run_id: int,
                    expected_review_id: int | None, reviewer: str, at: datetime, *,
                    attempt: dict) -> ReviewTarget:
    found = target(con, agency_id, category_id)
    if found is None:
        raise ReviewRefused(f"Tidak ada temuan untuk {agency_id}/{category_id}.")
    if found.run_id != expected_run_id or found.review_id != expected_review_id:
        raise _conflict(con, found, expected_run_id, reviewer, at, attempt)
    if (found.crawler_status or found.status) == UNREACHABLE or found.status == UNREACHABLE:
        raise ReviewRefused("Situs tidak terjangkau pada putaran terakhir: tidak ada bukti "
                            "untuk ditinjau.")
    return found


class _Conflicted(Exception):
    """Carries the conflict out of the transaction so its audit row is still committed."""

    def __init__(self, conflict: ReviewConflict) -> None:
        super().__init__(str(conflict))
        self.conflict = conflict


def _conflict(con, found: ReviewTarget, expected_run_id: int, reviewer: str, at: datetime,
              attempt: dict) -> _Conflicted:
    if found.run_id != expected_run_id:
        message = ("Putaran pemantauan baru sudah tersimpan sejak halaman ini dibuka; "
                   "periksa temuan terbaru lalu simpan lagi. Isian Anda tidak hilang.")
    else:
        who = found.reviewer or "peninjau lain"
        message = (f"Temuan ini baru saja ditinjau oleh {who}; periksa keputusannya lalu "
                   "simpan lagi bila perlu. Isian Anda tidak hilang.")
    audit.record(con, at=at, actor=audit.reviewer_actor(reviewer), action="review_conflict",
                 agency_id=found.agency_id, category_id=found.category_id,
                 before=_finding_state(found), after=attempt, note=message)
    return _Conflicted(ReviewConflict(message))


class _transaction:
    """BEGIN … COMMIT; a conflict commits its audit row and raises ReviewConflict, any other
    error rolls everything back. A concurrent writer's update of the same finding (DuckDB's
    own write-write conflict) is a ReviewConflict too."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con

    def __enter__(self) -> duckdb.DuckDBPyConnection:
        self.con.execute("BEGIN TRANSACTION")
        return self.con

    def __exit__(self, kind, exc, tb) -> bool:
        if exc is None:
            try:
                self.con.execute("COMMIT")
            except duckdb.TransactionException as error:
                _rollback(self.con)
                raise ReviewConflict(_WRITE_CONFLICT) from error
            return False
        if isinstance(exc, _Conflicted):
            try:
                self.con.execute("COMMIT")
            except duckdb.Error:
                _rollback(self.con)
            raise exc.conflict from None
        _rollback(self.con)
        if isinstance(exc, duckdb.TransactionException):
            raise ReviewConflict(_WRITE_CONFLICT) from exc
        return False


_WRITE_CONFLICT = ("Peninjau lain menyimpan temuan yang sama pada saat yang sama dan lebih "
                   "dulu; muat ulang, periksa keputusannya, lalu simpan lagi. Isian Anda "
                   "tidak hilang.")


def _rollback(con: duckdb.DuckDBPyConnection) -> None:
    try:
        con.execute("ROLLBACK")
    except duckdb.Error:
        pass


def _insert_review(con, found: ReviewTarget, *, kind: str, status: str, reason: str | None,
                   reviewer: str, at: datetime) -> int:
    rows = queries.execute(
        con, "review_insert", agency_id=found.agency_id, category_id=found.category_id,
        run_id=found.run_id, kind=kind, status=status, replaced_status=found.status,
        detector_status=found.detector_status or found.crawler_status or found.status,
        evidence_url=found.evidence_url, evidence_sha256=found.evidence_sha256,
        reason=reason, reviewer=reviewer, created_at=at)
    return int(rows[0]["id"])


def _take(con, found: ReviewTarget, review_id: int, status: str | None, reviewer: str,
          at: datetime, attempt: dict) -> None:
    taken = queries.execute(con, "finding_take_review", run_id=found.run_id,
                            agency_id=found.agency_id, category_id=found.category_id,
                            expected_review_id=found.review_id, review_id=review_id,
                            status=status)
    if not taken:
        raise ReviewConflict(_WRITE_CONFLICT)


def _finding_state(found: ReviewTarget) -> dict[str, Any]:
    return {"run_id": found.run_id, "status": found.status,
            "status_source": found.status_source, "detector_status": found.detector_status,
            "review_id": found.review_id, "evidence_url": found.evidence_url,
            "evidence_sha256": found.evidence_sha256}


# ---- the crawl: carrying overrides into a new run, lapses ----------------------------------

@dataclass
class RunReviews:
    """The overrides in force that a new run carries, decided before its scores are computed.

    ``record`` is the run with its scores (``RunRecord.scores``, which the summary and
    ``agency_runs`` take) computed on the effective statuses; its findings are stored as the
    crawler found them (their evidence bundles are the crawler's) and :meth:`store`, inside the
    run's write transaction (``warehouse.load.write_run(after_insert=...)``), puts the carried
    overrides on them, lets the overrides whose evidence changed lapse (audit rows, actor
    ``sistem``) and scores again any agency whose carried override lapsed after all."""

    record: Any
    carried: dict[tuple[str, str], tuple[int, str]] = field(default_factory=dict)
    """(agency_id, category_id) → (review id, the reviewer's status)."""
    at: datetime | None = None

    def store(self, con: duckdb.DuckDBPyConnection, run_id: int) -> None:
        """Write the carried overrides and the lapses into run ``run_id`` (no transaction of
        its own: the run's)."""
        at = self.at or self.record.finished_at
        applied = {}
        for (agency_id, category_id), (review_id, status) in sorted(self.carried.items()):
            rows = queries.execute(con, "finding_carry_override", run_id=run_id,
                                   agency_id=agency_id, category_id=category_id,
                                   review_id=review_id, status=status)
            if rows:
                applied[(agency_id, category_id)] = (review_id, rows[0]["crawler_status"])
        lapsed = queries.execute(con, "overrides_lapse", run_id=run_id)
        rescored = set()
        for row in lapsed:
            queries.execute(con, "review_lapse", review_id=row["id"], at=at,
                            lapse_reason=row["lapse_reason"])
            if row["carried_by_finding"] == row["id"]:
                queries.execute(con, "finding_drop_override", run_id=run_id, review_id=row["id"])
                rescored.add(row["agency_id"])
            audit.record(con, at=at, actor=audit.SYSTEM, action="override_lapsed",
                         agency_id=row["agency_id"], category_id=row["category_id"],
                         before={"review_id": row["id"], "status": row["status"],
                                 "detector_status": row["detector_status"],
                                 "evidence_sha256": row["evidence_sha256"]},
                         after={"run_id": run_id, "lapse_reason": row["lapse_reason"],
                                "detector_status": row["new_detector_status"],
                                "evidence_sha256": row["new_evidence_sha256"]})
        dropped = {row["id"] for row in lapsed}
        for (agency_id, category_id), (review_id, crawler_status) in sorted(applied.items()):
            if review_id in dropped:
                continue
            audit.record(con, at=at, actor=audit.SYSTEM, action="override_applied",
                         agency_id=agency_id, category_id=category_id,
                         before={"run_id": run_id, "status": crawler_status},
                         after={"run_id": run_id, "review_id": review_id,
                                "status": self.carried[(agency_id, category_id)][1],
                                "status_source": SOURCE_OVERRIDE})
        for agency_id in sorted(rescored):
            rescore(con, run_id, agency_id, actor=audit.SYSTEM, at=at)


def plan_run(con: duckdb.DuckDBPyConnection, record: Any, at: datetime | None = None) -> RunReviews:
    """Which overrides in force the run ``record`` (a ``warehouse.load.RunRecord``) carries:
    those whose finding the detector saw as the override judged it and, when both hashes are
    known, whose evidence has the same SHA-256. A finding of an unreachable site carries
    nothing and lapses nothing. The returned record's scores use the carried statuses."""
    by_agency = overrides_in_force(con)
    if not by_agency:
        return RunReviews(record=record, at=at)
    carried: dict[tuple[str, str], tuple[int, str]] = {}
    for outcome in record.outcomes:
        carried.update(carried_overrides(outcome.agency.id, outcome.findings,
                                         outcome.crawl, outcome.rechecks,
                                         by_agency.get(outcome.agency.id, {})))
    planned = replace(record)
    if carried:
        _score_with(planned, carried)
    return RunReviews(record=planned, carried=carried, at=at)


def overrides_in_force(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, Mapping[str, Any]]]:
    """The overrides in force by agency and category (read once at the start of a run)."""
    by_agency: dict[str, dict[str, Mapping[str, Any]]] = {}
    for row in queries.execute(con, "overrides_in_force"):
        by_agency.setdefault(row["agency_id"], {})[row["category_id"]] = dict(row)
    return by_agency


def carried_overrides(agency_id: str, findings: Any, crawl: Any, rechecks: Any,
                      in_force: Mapping[str, Mapping[str, Any]]
                      ) -> dict[tuple[str, str], tuple[int, str]]:
    """Which of one agency's overrides in force (``in_force``: by category) its findings of
    this run carry (see ``plan_run``); the crawl and re-checks give the evidence hashes."""
    carried: dict[tuple[str, str], tuple[int, str]] = {}
    index = None
    for finding in findings:
        review = in_force.get(finding.category_id)
        if review is None:
            continue
        index = index or EvidenceIndex(crawl, rechecks)
        if _carries(finding, review, index):
            carried[(agency_id, finding.category_id)] = (review["id"], review["status"])
    return carried


def _score_with(record: Any, carried: Mapping[tuple[str, str], tuple[int, str]]) -> None:
    """Set the record's scores (``RunRecord.scores``, a cached property) to those of its
    statuses with the carried overrides in place."""
    weights = {c.id: c.weight for c in record.categories}
    record.__dict__["scores"] = {
        o.agency.id: scoring.scored(
            {f.category_id: carried.get((o.agency.id, f.category_id), (0, f.status))[1]
             for f in o.findings}, weights)
        for o in record.outcomes}


def _carries(finding: Any, review: Mapping[str, Any], index: EvidenceIndex) -> bool:
    detected = finding.detector_status or finding.status
    if finding.status == UNREACHABLE or detected == UNREACHABLE:
        return False
    if detected != review["detector_status"]:
        return False
    bundle = index.bundle(finding.status, finding.evidence_url, finding.page_url)
    new_hash, old_hash = (bundle.sha256 if bundle else None), review["evidence_sha256"]
    return not (new_hash and old_hash and new_hash != old_hash)
