"""The dashboard's data: the only module that reads the warehouse.

Every read opens the DuckDB file read-only for that one query (``warehouse.db.read_only``)
and closes it, so the dashboard never holds the file: the weekly crawl can write between two
page views. While a writer has the file, opening waits (``read_only`` retries).

Pages never write SQL: they call ``Data`` methods, which run the named queries in
``warehouse/queries/`` and shape the results with the pure functions below (testable
without Streamlit). Results are cached with ``st.cache_data`` keyed on the database path
and the newest run id, which ``read_snapshot`` reads cheaply on every rerun: a new run
committed by the crawl is a new key, so the next page view shows it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import streamlit as st

from core.settings import CrawlSettings, DashboardSettings, SettingsError, load_settings
from dashboard import labels
from warehouse import db, queries, screenshots
from warehouse.reports import content, html, monev, pdf

DB_ENV = "PANTAU_DB"
TREND_RUNS = 12
"""How many recent runs the ranking's sparkline shows."""


def _dashboard_settings() -> DashboardSettings:
    """``dashboard.*`` from the environment (and ``PANTAU_SETTINGS_FILE``). ``pantau dashboard``
    has checked them before starting Streamlit; a direct ``streamlit run`` with bad values
    falls back to the defaults rather than show a traceback."""
    try:
        return load_settings().dashboard
    except SettingsError:
        return DashboardSettings()


SETTINGS = _dashboard_settings()
READ_WAIT = SETTINGS.read_wait
"""Seconds a read waits while the crawl holds the file before the page says it is busy."""


class DatabaseError(RuntimeError):
    """The database cannot be shown; the message is for the user (Indonesian)."""


class DatabaseBusy(DatabaseError):
    """A writer held the file for longer than the read-only open waits."""


def resolve_db_path(argv: Sequence[str], env: Mapping[str, str]) -> Path | None:
    """The database path: ``--db FILE`` (or ``--db=FILE``) in the script's arguments (what
    follows ``--`` in ``streamlit run app.py -- --db FILE``), else ``$PANTAU_DB``."""
    args = list(argv)
    for i, arg in enumerate(args):
        if arg == "--db" and i + 1 < len(args):
            return Path(args[i + 1])
        if arg.startswith("--db="):
            return Path(arg.split("=", 1)[1])
    value = env.get(DB_ENV, "").strip()
    return Path(value) if value else None


@dataclass(frozen=True)
class Snapshot:
    """Which data a page view shows: the database and its newest runs."""

    path: str
    latest_run_id: int | None
    last_run_id: int | None
    completed_runs: int
    file_stamp: tuple[int, int] = (0, 0)
    """(inode, mtime) of the file: a database replaced at the same path is a new key too."""

    @property
    def empty(self) -> bool:
        return self.latest_run_id is None

    @property
    def key(self) -> tuple:
        return (self.latest_run_id, self.last_run_id, self.file_stamp)


def _int_or_none(value: Any) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def run_query(path: str | Path, name: str, **params: Any) -> pd.DataFrame:
    """One named query on a short-lived read-only connection (no caching)."""
    return with_connection(path, lambda con: queries.run(con, name, **params))


def read_snapshot(path: str | Path) -> Snapshot:
    """The newest run ids, read on every rerun (one small query)."""
    row = run_query(path, "data_version").iloc[0]
    resolved = Path(path).resolve()
    try:
        stat = resolved.stat()
        stamp = (stat.st_ino, stat.st_mtime_ns)
    except OSError:
        stamp = (0, 0)
    return Snapshot(
        path=str(resolved),
        latest_run_id=_int_or_none(row["latest_run_id"]),
        last_run_id=_int_or_none(row["last_run_id"]),
        completed_runs=int(row["completed_runs"]),
        file_stamp=stamp,
    )


@dataclass(frozen=True)
class Display:
    """How the dashboard writes times: the schedule's zone; the reminders' reply window."""

    tz: str = "Asia/Jakarta"
    reply_within_days: int = 14


@st.cache_resource(show_spinner=False)
def display() -> Display:
    """From the settings (environment / ``PANTAU_SETTINGS_FILE``); defaults when they cannot
    be read (the CLI reports bad settings, the dashboard still shows the data)."""
    try:
        settings = load_settings()
    except SettingsError:
        return Display()
    return Display(settings.schedule.timezone, settings.reminders.reply_within_days)


def with_connection(path: str | Path, use):
    """``use(con)`` on a short-lived read-only connection, errors as ``DatabaseError``."""
    try:
        with db.read_only(path, wait=READ_WAIT) as con:
            return use(con)
    except FileNotFoundError as exc:
        raise DatabaseError(f"Berkas basis data tidak ditemukan: {path}") from exc
    except db.SchemaError as exc:
        raise DatabaseError(f"Bukan basis data Pantau PPID yang dapat dibaca: {exc}") from exc
    except duckdb.Error as exc:
        if db.is_lock_error(exc):
            raise DatabaseBusy(
                "Basis data sedang ditulis oleh proses pemantauan. Muat ulang halaman sebentar lagi."
            ) from exc
        raise DatabaseError(f"Basis data tidak dapat dibaca: {exc}") from exc


@st.cache_data(show_spinner=False, max_entries=64)
def _cached_report(path: str, run_key: tuple, kind: str, agency_id: str | None) -> bytes:
    """A report file (``pdf``/``html`` of the city or an agency, ``monev_xlsx``/``monev_pdf``
    of an agency), built once per run."""
    shown = display()

    def build(con):
        if kind.startswith("monev_"):
            sheet = monev.evidence_sheet(con, agency_id, tz=shown.tz)
            return monev.sheet_excel(sheet) if kind == "monev_xlsx" else monev.sheet_pdf(sheet)
        if agency_id is None:
            report = content.city_report(con, tz=shown.tz,
                                         reply_within_days=shown.reply_within_days)
            return pdf.city_pdf(report) if kind == "pdf" else html.city_html(report).encode()
        report = content.agency_report(con, agency_id, tz=shown.tz)
        return pdf.agency_pdf(report) if kind == "pdf" else html.agency_html(report).encode()

    return with_connection(path, build)


@st.cache_data(show_spinner=False, max_entries=512)
def _cached_query(path: str, run_key: tuple, name: str, params: tuple) -> pd.DataFrame:
    """A named query's result, cached per (database, newest runs, query, parameters)."""
    return run_query(path, name, **dict(params))


def forget_cached_results() -> None:
    """Drop the cached query results and reports: a reviewer's save changed statuses and
    scores without a new run (every session reads afresh)."""
    _cached_query.clear()
    _cached_report.clear()


@dataclass
class Kpis:
    """The overview's numbers for one point in time."""

    agencies: int
    average: float | None
    unreachable: int
    bands: dict[str, int] = field(default_factory=dict)


@dataclass
class Data:
    """What the pages ask for, all from one snapshot (one key for the cache)."""

    snapshot: Snapshot

    def _query(self, name: str, **params: Any) -> pd.DataFrame:
        return _cached_query(self.snapshot.path, self.snapshot.key, name,
                             tuple(sorted(params.items())))

    # Raw named queries -------------------------------------------------------------------
    def runs(self) -> pd.DataFrame:
        return self._query("runs")

    def completed_runs(self) -> pd.DataFrame:
        runs = self.runs()
        return runs[runs["status"] == "completed"].reset_index(drop=True)

    def agencies(self) -> pd.DataFrame:
        return self._query("agencies")

    def city_history(self) -> pd.DataFrame:
        return self._query("city_history")

    def agency_history(self, agency_id: str) -> pd.DataFrame:
        return self._query("agency_history", agency_id=agency_id)

    # Shaped for the pages ----------------------------------------------------------------
    def standings(self) -> list[content.AgencyLine]:
        """Every agency's latest standing with its gaps, worst first (the Ringkasan list)."""
        return content.worst_first(content.lines_from(self._query("report_agencies"),
                                                      self._query("report_findings")))

    def report(self, kind: str, agency_id: str | None = None) -> bytes:
        """The city report (``agency_id`` None) or an agency's, as ``pdf`` or ``html``."""
        return _cached_report(self.snapshot.path, self.snapshot.key, kind, agency_id)

    def kpis(self) -> tuple[Kpis, Kpis | None]:
        return kpis_from_standings(self._query("standings"))

    def ranking(self) -> pd.DataFrame:
        return ranking_table(self._query("ranking"), self._query("trends", runs=TREND_RUNS))

    def band_counts(self) -> pd.DataFrame:
        current, _ = self.kpis()
        return band_counts_frame(current)

    def agency_findings(self, agency_id: str) -> pd.DataFrame:
        return findings_table(self._query("agency_findings", agency_id=agency_id))

    def agency_last_known(self, agency_id: str) -> pd.DataFrame:
        """The findings of the agency's last reachable run (shown while it is unreachable)."""
        return last_known_table(self._query("agency_last_known", agency_id=agency_id))

    def matrix(self) -> pd.DataFrame:
        return matrix_table(self._query("matrix"), self.agencies())

    def changes(self, from_run: int, to_run: int) -> pd.DataFrame:
        return changes_table(self._query("changes", from_run=from_run, to_run=to_run))

    def site_health(self) -> pd.DataFrame:
        """Each agency's latest run against its previous one (the health page)."""
        return health_table(self._query("site_health_latest"))

    def site_changes(self) -> pd.DataFrame:
        """Every run marked "situs berubah", newest first."""
        return self._query("site_changes")

    def followup_agencies(self) -> pd.DataFrame:
        """Follow-up after reminders per agency."""
        # Not cached: follow-up moves with the reminders log, which changes without a new run.
        return run_query(self.snapshot.path, "followup_agencies")

    def followup_categories(self) -> pd.DataFrame:
        """Follow-up after reminders per category."""
        return run_query(self.snapshot.path, "followup_categories")

    def score_changes(self, from_run: int, to_run: int) -> pd.DataFrame:
        return score_moves(self._query("score_changes", from_run=from_run, to_run=to_run))

    def monev_results(self, agency_id: str) -> pd.DataFrame:
        """Official Monev results recorded for the agency (not cached: recorded any time)."""
        return run_query(self.snapshot.path, "monev_results", agency_id=agency_id)

    def without_email(self) -> pd.DataFrame:
        """Agencies that receive no reminder: no e-mail address in the registry."""
        table = self._query("agencies_without_email")
        table["role_label"] = table["role"].map(labels.role_label)
        return table

    def evidence_bundle(self, agency_id: str, category_id: str) -> dict[str, Any] | None:
        """One finding's evidence bundle in the latest run (``evidence_bundle`` named query);
        None when it has no evidence. Not cached: a screenshot is added without a new run."""
        return with_connection(self.snapshot.path, lambda con: screenshots.evidence_bundle(
            con, agency_id, category_id))

    def screenshot_png(self, stored_path: object) -> bytes | None:
        """The PNG a bundle's ``screenshot_path`` names (inside the data folder), or None."""
        if not isinstance(stored_path, str) or not stored_path:
            return None
        path = screenshots.screenshot_file(self.snapshot.path, stored_path)
        return path.read_bytes() if path is not None else None

    def take_screenshot(self, agency_id: str, category_id: str,
                        actor: str) -> screenshots.ScreenshotResult:
        """Screenshot the finding's evidence page now (the crawler's browser) and keep it with
        the latest run: one short write, retried while the crawl holds the file."""
        try:
            crawl = load_settings().crawl
        except SettingsError:
            crawl = CrawlSettings()
        try:
            return screenshots.take_screenshot(self.snapshot.path, agency_id, category_id,
                                               settings=crawl, actor=actor,
                                               write_wait=SETTINGS.read_wait)
        except duckdb.Error as exc:
            return screenshots.ScreenshotResult(False, f"Tangkapan layar tidak tersimpan: {exc}")

    def reminders(self) -> pd.DataFrame:
        # Not cached: reminders are written after a run (and their status changes) without a
        # new run id, so the log is read fresh on every view.
        return reminders_table(run_query(self.snapshot.path, "reminders_log"))


# Pure shaping functions ----------------------------------------------------------------------

def kpis_from_standings(standings: pd.DataFrame) -> tuple[Kpis, Kpis | None]:
    """(now, after the previous run) from the ``standings`` query; previous is None when
    there has been only one completed run."""
    if standings.empty:
        return Kpis(0, None, 0, {b: 0 for b in labels.BAND_NAMES}), None
    as_of = sorted(standings["as_of_run"].unique())
    current = _kpis(standings[standings["as_of_run"] == as_of[-1]])
    previous = _kpis(standings[standings["as_of_run"] == as_of[-2]]) if len(as_of) > 1 else None
    return current, previous


def _kpis(rows: pd.DataFrame) -> Kpis:
    scores = rows["score"].dropna()
    bands = {b: int((rows["band"] == b).sum()) for b in labels.BAND_NAMES}
    return Kpis(
        agencies=len(rows),
        average=round(float(scores.mean()), 2) if len(scores) else None,
        unreachable=int((~rows["reachable"].astype(bool)).sum()),
        bands=bands,
    )


def band_counts_frame(kpis: Kpis) -> pd.DataFrame:
    """Agencies per band (best first), then the unreachable ones: the distribution chart."""
    rows = [{"band": b, "agencies": kpis.bands.get(b, 0)} for b in labels.BAND_NAMES]
    rows.append({"band": labels.NO_SCORE, "agencies": kpis.unreachable})
    return pd.DataFrame(rows)


def ranking_table(ranking: pd.DataFrame, trends: pd.DataFrame) -> pd.DataFrame:
    """The ranking with a rank (ties share one), band labels and each agency's sparkline."""
    table = ranking.copy()
    scores = table["score"]
    table["rank"] = scores.rank(method="min", ascending=False).astype("Int64")
    table["band_label"] = table["band"].map(labels.band_label)
    table["role_label"] = table["role"].map(labels.role_label)
    trend_map = {
        row.agency_id: [float(v) for v in row.scores] if row.scores is not None and
        not (isinstance(row.scores, float) and pd.isna(row.scores)) else []
        for row in trends.itertuples()
    }
    table["trend"] = [trend_map.get(a, []) for a in table["agency_id"]]
    return table.reset_index(drop=True)


def findings_table(findings: pd.DataFrame) -> pd.DataFrame:
    """One agency's findings with Indonesian labels; evidence links only when http(s)."""
    table = findings.copy()
    table["group_label"] = table["category_group"].map(labels.group_label)
    confirmed = _flags(table["confirmed"]) if "confirmed" in table else [True] * len(table)
    sources = _sources(table)
    table["status_label"] = [labels.shown_status_label(s, c, src)
                             for s, c, src in zip(table["status"], confirmed, sources, strict=True)]
    table["override_note"] = override_notes(table)
    table["evidence_link"] = table["evidence_url"].map(labels.safe_url)
    table["document_year"] = table["document_year"].astype("Int64")
    return table


def _sources(table: pd.DataFrame) -> list[str | None]:
    """Each row's status source (None where the query has none)."""
    if "status_source" not in table:
        return [None] * len(table)
    return [None if pd.isna(v) else str(v) for v in table["status_source"]]


def override_notes(table: pd.DataFrame) -> list[str]:
    """``Dikoreksi oleh budi, 1 Des 2026 10.00 WIB: <reason>`` for each overridden row, ''
    for the others (the reason is shown as text)."""
    notes = []
    for row, source in zip(table.to_dict("records"), _sources(table), strict=True):
        if source != labels.SOURCE_OVERRIDE:
            notes.append("")
            continue
        notes.append(content.override_note(pd.Series(row), display().tz))
    return notes


def last_known_table(findings: pd.DataFrame) -> pd.DataFrame:
    """Last known findings with labels, plus ``last_seen_label`` (``terakhir terlihat N hari
    lalu``) from when they were seen."""
    table = findings_table(findings)
    now = pd.Timestamp.now(tz="UTC")
    table["last_seen_label"] = [_age_label(seen, now) for seen in table["seen_at"]]
    return table


def _age_label(seen: object, now: pd.Timestamp) -> str:
    """``terakhir terlihat N hari lalu`` for a time (naive values read as UTC)."""
    if pd.isna(seen):
        return labels.days_ago_label(None)
    stamp = pd.Timestamp(seen)
    stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp
    return labels.days_ago_label((now - stamp).days)


def _flags(column: pd.Series) -> list[bool]:
    """A boolean column with NULL read as true (rows written before a flag existed)."""
    return [True if pd.isna(v) else bool(v) for v in column]


def status_counts(findings: pd.DataFrame) -> dict[str, int]:
    """How many categories have each status (every status present, zero when none)."""
    counts = findings["status"].value_counts()
    return {s: int(counts.get(s, 0)) for s in labels.STATUSES}


def matrix_table(matrix: pd.DataFrame, agencies: pd.DataFrame) -> pd.DataFrame:
    """The matrix rows with labels and the agency's parent name."""
    table = matrix.copy()
    parents = dict(zip(agencies["agency_id"], agencies["name"], strict=False))
    table["parent_name"] = table["parent"].map(lambda p: parents.get(p, p) if p else None)
    table["status_label"] = [labels.shown_status_label(s, True, src) for s, src
                             in zip(table["status"], _sources(table), strict=True)]
    table["role_label"] = table["role"].map(labels.role_label)
    table["group_label"] = table["category_group"].map(labels.group_label)
    return table


SORTS = {
    "score_desc": "Skor tertinggi",
    "score_asc": "Skor terendah",
    "name": "Nama (A–Z)",
}


def filter_matrix(table: pd.DataFrame, *, groups: Sequence[str] | None = None,
                  roles: Sequence[str] | None = None, parent: str | None = None,
                  sort: str = "score_desc") -> tuple[pd.DataFrame, list[str]]:
    """(filtered rows, agency ids in display order). ``parent`` keeps that PPID Utama and
    the agencies reporting to it; unreachable agencies (no score) sort last."""
    rows = table
    if groups:
        rows = rows[rows["category_group"].isin(list(groups))]
    if roles:
        rows = rows[rows["role"].isin(list(roles))]
    if parent:
        rows = rows[(rows["parent"] == parent) | (rows["agency_id"] == parent)]
    agencies = rows.drop_duplicates("agency_id")[["agency_id", "agency_name", "score"]]
    if sort == "name":
        agencies = agencies.sort_values(["agency_name", "agency_id"], key=_casefold)
    elif sort in ("score_desc", "score_asc"):
        agencies = agencies.sort_values(
            ["score", "agency_name"], ascending=[sort == "score_asc", True], na_position="last"
        )
    else:
        raise ValueError(f"unknown sort {sort!r}")
    return rows.reset_index(drop=True), agencies["agency_id"].tolist()


def _casefold(series: pd.Series) -> pd.Series:
    return series.str.casefold() if pd.api.types.is_string_dtype(series) else series


def matrix_wide(rows: pd.DataFrame, agency_order: list[str]) -> pd.DataFrame:
    """The matrix as a table for download: one row per agency (in ``agency_order``) with its
    score, one column per category (checklist order, headed by its Indonesian name) holding
    the status label."""
    if rows.empty:
        return pd.DataFrame(columns=["Badan Publik", "Skor"])
    statuses = rows.pivot(index="agency_id", columns="category_id", values="status_label")
    ordered = rows.sort_values("position").drop_duplicates("category_id")
    categories = ordered["category_id"].tolist()
    names = dict(zip(ordered["category_id"], ordered["category_name"], strict=True))
    meta = rows.drop_duplicates("agency_id").set_index("agency_id")[["agency_name", "score"]]
    wide = meta.join(statuses[categories]).loc[agency_order].reset_index(drop=True)
    return wide.rename(columns={"agency_name": "Badan Publik", "score": "Skor", **names})


def changes_table(changes: pd.DataFrame) -> pd.DataFrame:
    """Changes with labels; ``confirmed_change`` is true for a confirmed change of the
    published status (the page's default), false for a drop held back (unconfirmed, site
    changed) or not believed (old evidence still answers)."""
    table = changes.copy()
    reasons = table["held_reason"] if "held_reason" in table else [None] * len(table)
    table["change_label"] = [labels.change_label(change, reason)
                             for change, reason in zip(table["change"], reasons, strict=True)]
    sources = {side: (table[f"{side}_status_source"] if f"{side}_status_source" in table
                      else [None] * len(table)) for side in ("from", "to")}
    table["from_label"] = [labels.shown_status_label(s, True, src) for s, src
                           in zip(table["from_status"], sources["from"], strict=True)]
    confirmed = _flags(table["confirmed"]) if "confirmed" in table else [True] * len(table)
    table["to_label"] = [labels.shown_status_label(s, c, src) for s, c, src
                         in zip(table["to_status"], confirmed, sources["to"], strict=True)]
    if "detected_status" in table:
        table["detected_label"] = table["detected_status"].map(labels.status_label)
    table["evidence_link"] = table["evidence_url"].map(labels.safe_url)
    for side in ("from", "to"):
        if f"{side}_evidence_url" in table:
            table[f"{side}_evidence_link"] = table[f"{side}_evidence_url"].map(labels.safe_url)
    table["confirmed_change"] = [c and change != labels.HELD
                                 for c, change in zip(confirmed, table["change"], strict=True)]
    return table


def shown_changes(changes: pd.DataFrame, *, unconfirmed: bool) -> pd.DataFrame:
    """The confirmed changes, plus the held and not-believed ones when asked."""
    if unconfirmed or changes.empty:
        return changes
    return changes[changes["confirmed_change"]].reset_index(drop=True)


def health_table(health: pd.DataFrame) -> pd.DataFrame:
    """The health page's rows with a state label and the age of the last known findings."""
    table = health.copy()
    now = pd.Timestamp.now(tz="UTC")

    def state(row) -> str:
        if not row["reachable"]:
            return labels.NO_SCORE
        return labels.SITE_CHANGED if row["site_changed"] else labels.STABLE

    def age(row) -> str:
        return "" if row["reachable"] else _age_label(row["last_seen_at"], now)

    table["state_label"] = [state(r) for _, r in table.iterrows()] if len(table) else []
    table["last_seen_label"] = [age(r) for _, r in table.iterrows()] if len(table) else []
    table["alive_share"] = [
        (r["evidence_alive"] / r["evidence_checked"]) if r["evidence_checked"] else None
        for _, r in table.iterrows()] if len(table) else []
    table["crawl_label"] = [labels.agency_crawl_label(r.get("crawl_mode"), r.get("crawl_reason"))
                            for _, r in table.iterrows()] if len(table) else []
    return table


def change_counts(changes: pd.DataFrame) -> dict[str, int]:
    """Confirmed changes per kind (held rows are not changes)."""
    if not changes.empty and "confirmed_change" in changes:
        changes = changes[changes["confirmed_change"]]
    counts = changes["change"].value_counts() if not changes.empty else pd.Series(dtype=int)
    return {c: int(counts.get(c, 0)) for c in labels.CHANGES}


def score_moves(score_changes: pd.DataFrame) -> pd.DataFrame:
    """Agencies whose score, band or reachability changed between the two runs."""
    table = score_changes.copy()
    moved = (
        (table["delta"].fillna(0) != 0)
        | (table["from_score"].isna() != table["to_score"].isna())
        | (table["from_band"].fillna("") != table["to_band"].fillna(""))
    )
    table = table[moved].copy()
    table["from_band_label"] = table["from_band"].map(labels.band_label)
    table["to_band_label"] = table["to_band"].map(labels.band_label)
    return table.reset_index(drop=True)


def reminders_table(reminders: pd.DataFrame) -> pd.DataFrame:
    """The reminder log with Indonesian status and kind labels."""
    table = reminders.copy()
    table["status_label"] = table["status"].map(
        lambda s: labels.REMINDER_STATUS_LABELS.get(s, s))
    table["kind"] = table["kind"].map(lambda k: labels.REMINDER_KIND_LABELS.get(k, k))
    return table


def reminder_counts(reminders: pd.DataFrame) -> dict[str, int]:
    """How many reminders per status (every status present, zero when none)."""
    counts = reminders["status"].value_counts() if not reminders.empty else pd.Series(dtype=int)
    return {s: int(counts.get(s, 0)) for s in labels.REMINDER_STATUS_LABELS}
