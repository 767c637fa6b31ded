"""The run summary: numbers for the Prefect artifact, the ``runs.summary`` column and the CLI
(pure: built from the run record and the previous scores before the run is written)."""

from __future__ import annotations

from collections.abc import Sequence

from core.vocabulary import (
    CRAWL_MODES,
    FULL_CRAWL,
    NO_SCORE,
    SMART_CRAWL,
    UNREACHABLE_WORD,
    run_crawl_word,
    run_word,
)
from warehouse.load import AgencySummary, RunRecord


def run_summary(agencies: Sequence[AgencySummary] | RunRecord,
                previous: dict[str, float | None], biggest: int = 5) -> dict:
    """Agencies crawled, unreachable, scores, and the biggest drops since each one's last run.

    ``agencies`` is what the run kept of each agency (``warehouse.load.AgencySummary``; a
    whole ``RunRecord`` gives its ``summaries``). ``previous`` is each agency's score before
    this run (``warehouse.load.previous_scores``). The run id is not in it: the run is
    written with its summary, then gets its id."""
    if isinstance(agencies, RunRecord):
        agencies = agencies.summaries
    errors = {a.agency_id: a.error for a in agencies if not a.reachable}
    current = [(a.agency_id, a.score, a.band) for a in agencies]
    scores = [{"agency_id": a, "score": s, "band": b, "previous": previous.get(a)}
              for a, s, b in sorted(current, key=lambda r: (r[1] is None, -(r[1] or 0), r[0]))]
    drops = [dict(row, delta=round(row["score"] - row["previous"], 2)) for row in scores
             if row["score"] is not None and row["previous"] is not None
             and row["score"] < row["previous"]]
    drops.sort(key=lambda row: row["delta"])
    reachable_scores = [row["score"] for row in scores if row["score"] is not None]
    return {
        "agencies": len(agencies),
        "unreachable": len(errors),
        "unreachable_agencies": errors,
        "average_score": round(sum(reachable_scores) / len(reachable_scores), 2)
        if reachable_scores else None,
        "pages": sum(a.pages for a in agencies),
        "body_bytes": sum(a.body_bytes for a in agencies),
        "scores": scores,
        "biggest_drops": drops[:biggest],
        "crawl_modes": crawl_modes(agencies),
    }


def crawl_modes(agencies: Sequence[AgencySummary]) -> dict[str, int]:
    """How many agencies were crawled fully and smartly (``scrapers.crawling.recrawl``)."""
    modes = [a.crawl_mode for a in agencies if a.crawl_mode]
    return {mode: modes.count(mode) for mode in CRAWL_MODES}


def _crawl_word(summary: dict) -> str:
    modes = summary.get("crawl_modes") or {}
    return run_crawl_word(modes.get(FULL_CRAWL, 0), modes.get(SMART_CRAWL, 0)) or "—"


def _fmt(value) -> str:
    return "—" if value is None else f"{value:.2f}"


def summary_markdown(summary: dict) -> str:
    """The run summary as the Markdown of the flow run's artifact."""
    lines = [
        f"# Pantau PPID — {run_word(summary['run_id'])}",
        "",
        f"- Badan publik dipantau: **{summary['agencies']}**",
        f"- {UNREACHABLE_WORD.capitalize()}: **{summary['unreachable']}**",
        f"- Rata-rata nilai: **{_fmt(summary['average_score'])}**",
        f"- Halaman diambil: {summary['pages']}, byte diterima: {summary['body_bytes']}",
        f"- Crawl: {_crawl_word(summary)}",
        "",
        "## Nilai",
        "",
        "| Badan publik | Nilai | Kualifikasi | Sebelumnya |",
        "|---|---:|---|---:|",
    ]
    lines += [f"| {r['agency_id']} | {_fmt(r['score'])} | {r['band'] or NO_SCORE} "
              f"| {_fmt(r['previous'])} |" for r in summary["scores"]]
    if summary["biggest_drops"]:
        lines += ["", "## Penurunan terbesar", "", "| Badan publik | Sebelumnya | Sekarang | Selisih |",
                  "|---|---:|---:|---:|"]
        lines += [f"| {r['agency_id']} | {_fmt(r['previous'])} | {_fmt(r['score'])} | {r['delta']:+.2f} |"
                  for r in summary["biggest_drops"]]
    if summary["unreachable_agencies"]:
        lines += ["", f"## {UNREACHABLE_WORD.capitalize()}", ""]
        lines += [f"- {agency}: {error}" for agency, error in summary["unreachable_agencies"].items()]
    return "\n".join(lines) + "\n"
