"""What a report says, read from the warehouse: the city report and one report per agency.

Pure data (dataclasses over the named queries ``report_agencies``, ``report_findings``,
``agency_history``, ``changes``, ``runs`` and ``reminders_sent``); ``warehouse.reports.html``
and ``warehouse.reports.pdf`` lay the same content out. The dashboard's Ringkasan uses the
same sentences (``city_sentence``) so the screen and the paper say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache

import duckdb
import pandas as pd

from core import formats, vocabulary
from core.vocabulary import GROUP_WORDS, NO_SCORE, ROLE_WORDS, STATUS_WORDS
from warehouse import queries
from warehouse.scoring import BANDS, band

INFORMATIF = BANDS[0][0]
"""The lower bound of the best band (90): the city's target."""
GAP_ORDER = {"broken": 0, "missing": 0, "stale": 1}
"""A dead link or nothing counts before an outdated document when choosing main gaps."""
MAIN_GAPS = 3
CHANGE_WORDS = {status: vocabulary.CHANGE_WORDS[change]
                for status, change in vocabulary.CHANGE_BY_STATUS.items()}
"""What a change is called, by the status the category ended in."""


@cache
def upload_hints() -> dict[str, str]:
    """What to upload for each checklist category (the sentence the reminder e-mail uses)."""
    from core.checklist import load_checklist

    return {c.id: c.upload_hint for c in load_checklist().categories}


@dataclass
class Gap:
    """A category the agency has not (validly) published in its latest run."""

    category_id: str
    name: str
    group: str
    status: str
    legal_basis: str
    upload_hint: str
    weight: float
    position: int
    overridden: bool = False
    """A reviewer's override (``status_source = 'override'``): the status is marked as such."""

    @property
    def status_word(self) -> str:
        return _status_word(self.status, self.overridden)


@dataclass
class Finding:
    """One category of one agency in its latest run, with its evidence."""

    category_id: str
    name: str
    group: str
    status: str
    legal_basis: str
    evidence_url: str | None
    evidence_text: str | None
    document_year: int | None
    weight: float
    overridden: bool = False
    """A reviewer's override (``status_source = 'override'``): the status is marked as such."""
    override_note: str = ""
    """Who overrode it, when and why (text), for the agency report."""

    @property
    def status_word(self) -> str:
        return _status_word(self.status, self.overridden)


@dataclass
class AgencyLine:
    """One agency's standing in the latest run it was part of."""

    agency_id: str
    name: str
    role: str
    parent_name: str | None
    url: str
    email: str | None
    run_id: int
    reachable: bool
    error: str | None
    pages: int | None
    documents: int | None
    score: float | None
    previous_score: float | None
    band: str | None
    checked_at: datetime | None
    findings: list[Finding] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)

    @property
    def band_word(self) -> str:
        return self.band or NO_SCORE

    @property
    def main_gaps(self) -> list[Gap]:
        return self.gaps[:MAIN_GAPS]

    @property
    def found(self) -> int:
        return sum(1 for f in self.findings if f.status == "found")

    def status_of(self, category_id: str) -> str:
        """The category's status in this run (``unreachable`` when not checked)."""
        for f in self.findings:
            if f.category_id == category_id:
                return f.status
        return "unreachable"

    def overridden(self, category_id: str) -> bool:
        """Whether the category's status is a reviewer's override (marked in the matrix)."""
        return any(f.overridden for f in self.findings if f.category_id == category_id)

    @property
    def delta(self) -> float | None:
        if self.score is None or self.previous_score is None:
            return None
        return round(self.score - self.previous_score, 2)


@dataclass
class Change:
    """A category whose status changed between the previous run and the latest one."""

    agency_name: str
    category_name: str
    from_status: str
    to_status: str

    @property
    def words(self) -> str:
        return CHANGE_WORDS.get(self.to_status, "Berubah")


@dataclass
class Overdue:
    """An agency that was reminded, whose reply-by date has passed and that still has gaps."""

    agency: AgencyLine
    sent_at: datetime
    reply_by: datetime
    asked: list[str]


@dataclass
class CityReport:
    """Everything the city report prints."""

    generated_at: datetime
    tz: str
    run_id: int
    run_finished_at: datetime | None
    previous_run_id: int | None
    agencies: list[AgencyLine]
    """Worst first; unreachable agencies (no score) first of all: they need a look too."""
    categories: list[tuple[str, str, str]]
    """(id, Indonesian name, group) in checklist order."""
    changes: list[Change]
    overdue: list[Overdue]
    legal_basis: dict[str, str] = field(default_factory=dict)
    """Category id → its legal basis (the checklist's, equal to the contract)."""

    @property
    def scored(self) -> list[AgencyLine]:
        return [a for a in self.agencies if a.score is not None]

    @property
    def average(self) -> float | None:
        scores = [a.score for a in self.scored]
        return round(sum(scores) / len(scores), 2) if scores else None

    @property
    def city_band(self) -> str:
        return band(self.average) if self.average is not None else NO_SCORE

    @property
    def band_counts(self) -> dict[str, int]:
        counts = {name: 0 for _, name in BANDS}
        for agency in self.scored:
            counts[agency.band or band(agency.score)] += 1
        counts[NO_SCORE] = sum(1 for a in self.agencies if a.score is None)
        return counts

    def column_totals(self) -> dict[str, int]:
        """Per category: how many agencies publish it (``found``) in their latest run."""
        totals = {c[0]: 0 for c in self.categories}
        for agency in self.agencies:
            for f in agency.findings:
                if f.status == "found" and f.category_id in totals:
                    totals[f.category_id] += 1
        return totals


@dataclass
class AgencyReport:
    """Everything one agency's report prints."""

    generated_at: datetime
    tz: str
    agency: AgencyLine
    history: list[tuple[int, datetime | None, float | None, str | None]]
    """(run id, checked at, score, band) of every completed run, oldest first."""
    last_known: AgencyLine | None = None
    """For an agency unreachable in its latest run: its last reachable result."""


# Sentences ------------------------------------------------------------------------------------

def points_to_informatif(average: float | None) -> float | None:
    """How many points the average score still needs to reach Informatif (0 when there)."""
    if average is None:
        return None
    return round(max(0.0, INFORMATIF - average), 2)


def city_sentence(average: float | None, agencies: int, informatif: int) -> str:
    """The city's standing in words: its band and the points still needed for Informatif."""
    if average is None:
        return ("Belum ada skor: tidak satu pun situs badan publik dapat dijangkau pada "
                "putaran terakhir.")
    city = band(average)
    head = (f"Rata-rata skor kota {formats.number(average)} — predikat {city}. "
            f"{informatif} dari {agencies} badan publik sudah Informatif.")
    needed = points_to_informatif(average)
    if not needed:
        return head + " Kota sudah mencapai Informatif (≥ 90)."
    return head + (f" Untuk mencapai Informatif (≥ 90) rata-rata skor masih perlu naik "
                   f"{formats.number(needed)} poin.")


def grouped_changes(changes: list[Change]) -> list[tuple[str, str, str]]:
    """(agency, change, its categories) — one line per agency and kind of change, so a site
    that went down is one line, not thirty."""
    grouped: dict[tuple[str, str], list[str]] = {}
    for change in changes:
        grouped.setdefault((change.agency_name, change.words), []).append(change.category_name)
    out = []
    for (agency, words), names in grouped.items():
        shown = (f"semua {len(names)} kategori" if words == CHANGE_WORDS["unreachable"]
                 and len(names) > MAIN_GAPS else "; ".join(names))
        out.append((agency, words, shown))
    return out


def gap_sentence(agency: AgencyLine) -> str:
    """``Belum ada: DIP, SK PPID, …`` — the agency's main gaps, or why there are none."""
    if not agency.reachable:
        return f"Situs tidak terjangkau: {formats.text(agency.error)}"
    if not agency.gaps:
        return "Semua kategori ditemukan."
    shown = ", ".join(g.name for g in agency.main_gaps)
    more = len(agency.gaps) - len(agency.main_gaps)
    return f"Kurang: {shown}" + (f" (+{more} lainnya)" if more > 0 else "")


# Reading --------------------------------------------------------------------------------------

def _status_word(status: str, overridden: bool) -> str:
    if overridden:
        return vocabulary.overridden_status_word(status)
    return STATUS_WORDS.get(status, status)


def _overridden(row) -> bool:
    return getattr(row, "status_source", None) == vocabulary.SOURCE_OVERRIDE


def override_note(row, tz: str | None = None) -> str:
    """``Dikoreksi oleh budi, 1 Des 2026 10.00 WIB: <reason>`` (the reason as text)."""
    who = _value(getattr(row, "reviewer", None)) or "peninjau"
    when = formats.moment(_value(getattr(row, "reviewed_at", None)), tz)
    reason = _value(getattr(row, "review_reason", None)) or ""
    return f"{vocabulary.OVERRIDE_WORD} oleh {who}, {when}: {reason}"


def _value(value):
    return None if formats.unknown(value) else value


def _timestamp(value) -> datetime | None:
    value = _value(value)
    if value is None:
        return None
    if hasattr(value, "to_pydatetime"):
        value = value.to_pydatetime()
    return value


def lines_from(agencies: pd.DataFrame, findings: pd.DataFrame) -> list[AgencyLine]:
    """Agency lines from the ``report_agencies`` and ``report_findings`` query results."""
    hints = upload_hints()
    by_agency = {key: rows for key, rows in findings.groupby("agency_id", sort=False)}
    out = []
    for row in agencies.itertuples(index=False):
        line = AgencyLine(
            agency_id=row.agency_id, name=row.name, role=row.role,
            parent_name=_value(row.parent_name), url=row.url, email=_value(row.email),
            run_id=int(row.run_id), reachable=bool(row.reachable), error=_value(row.error),
            pages=_value(row.pages), documents=_value(row.documents),
            score=_value(row.score), previous_score=_value(row.previous_score),
            band=_value(row.band), checked_at=_timestamp(row.checked_at),
        )
        rows = by_agency.get(row.agency_id)
        if rows is not None:
            for f in rows.itertuples(index=False):
                year = _value(f.document_year)
                line.findings.append(Finding(
                    category_id=f.category_id, name=f.category_name, group=f.category_group,
                    status=f.status, legal_basis=_value(f.legal_basis) or "",
                    evidence_url=_value(f.evidence_url), evidence_text=_value(f.evidence_text),
                    document_year=int(year) if year is not None else None,
                    weight=float(f.weight), overridden=_overridden(f),
                    override_note=override_note(f) if _overridden(f) else "",
                ))
                if f.status in GAP_ORDER:
                    line.gaps.append(Gap(
                        category_id=f.category_id, name=f.category_name,
                        group=f.category_group, status=f.status,
                        legal_basis=_value(f.legal_basis) or "",
                        upload_hint=hints.get(f.category_id, ""), weight=float(f.weight),
                        position=int(f.position), overridden=_overridden(f),
                    ))
        line.gaps.sort(key=lambda g: (GAP_ORDER[g.status], -g.weight, g.position))
        out.append(line)
    return out


def worst_first(lines: list[AgencyLine]) -> list[AgencyLine]:
    """Unreachable agencies (no score) first, then by score, lowest first."""
    return sorted(lines, key=lambda a: (a.score is not None, a.score or 0.0, a.name.casefold()))


def agency_lines(con: duckdb.DuckDBPyConnection) -> list[AgencyLine]:
    """Every monitored agency's latest standing with findings and gaps, worst first."""
    return worst_first(lines_from(queries.run(con, "report_agencies"),
                               queries.run(con, "report_findings")))


def _completed_runs(con) -> pd.DataFrame:
    runs = queries.run(con, "runs")
    return runs[runs["status"] == "completed"].reset_index(drop=True)


def city_report(con: duckdb.DuckDBPyConnection, *, tz: str | None = None,
                reply_within_days: int = 14, now: datetime | None = None) -> CityReport:
    """The city report of the latest completed run (``LookupError`` when there is none)."""
    runs = _completed_runs(con)
    if runs.empty:
        raise LookupError("belum ada putaran pemantauan yang selesai")
    latest = runs.iloc[0]
    previous = int(runs.iloc[1]["run_id"]) if len(runs) > 1 else None
    lines = agency_lines(con)
    categories = queries.run(con, "report_categories")
    ordered = list(categories[["category_id", "name", "category_group"]]
                   .itertuples(index=False, name=None))
    changes = []
    if previous is not None:
        frame = queries.run(con, "changes", from_run=previous, to_run=int(latest["run_id"]))
        changes = [Change(r.agency_name, r.category_name, r.from_status, r.to_status)
                   for r in frame.itertuples(index=False)]
    now = now or datetime.now(UTC)
    return CityReport(
        generated_at=now, tz=tz or formats.DEFAULT_ZONE, run_id=int(latest["run_id"]),
        run_finished_at=_timestamp(latest["finished_at"]), previous_run_id=previous,
        agencies=lines, categories=ordered, changes=changes,
        overdue=overdue(con, lines, reply_within_days, now),
        legal_basis={r.category_id: _value(r.legal_basis) or ""
                     for r in categories.itertuples(index=False)},
    )


def overdue(con: duckdb.DuckDBPyConnection, lines: list[AgencyLine], reply_within_days: int,
            now: datetime) -> list[Overdue]:
    """Agencies reminded more than ``reply_within_days`` ago that still have gaps."""
    by_id = {a.agency_id: a for a in lines}
    out = []
    for row in queries.run(con, "reminders_sent").itertuples(index=False):
        agency = by_id.get(row.agency_id)
        sent = _timestamp(row.sent_at)
        if agency is None or sent is None or not agency.gaps:
            continue
        aware = sent if sent.tzinfo else sent.replace(tzinfo=UTC)
        reply_by = aware + timedelta(days=reply_within_days)
        if reply_by < now:
            asked = list(row.categories) if row.categories is not None else []
            out.append(Overdue(agency, aware, reply_by, asked))
    return sorted(out, key=lambda o: o.reply_by)


def agency_report(con: duckdb.DuckDBPyConnection, agency_id: str, *, tz: str | None = None,
                  now: datetime | None = None) -> AgencyReport:
    """One agency's report (``LookupError`` for an agency without a completed run)."""
    lines = {a.agency_id: a for a in agency_lines(con)}
    if agency_id not in lines:
        raise LookupError(f"badan publik {agency_id!r} tidak ada di hasil pemantauan")
    history = queries.run(con, "agency_history", agency_id=agency_id)
    points = [(int(r.run_id), _timestamp(r.checked_at), _value(r.score), _value(r.band))
              for r in history.itertuples(index=False)]
    return AgencyReport(
        generated_at=now or datetime.now(UTC), tz=tz or formats.DEFAULT_ZONE,
        agency=lines[agency_id], history=points,
    )


def group_word(group: str) -> str:
    """The Indonesian name of a category group."""
    return GROUP_WORDS.get(group, group.replace("_", " ").capitalize())


def role_word(role: str) -> str:
    """The Indonesian name of a registry role."""
    return ROLE_WORDS.get(role, role)
