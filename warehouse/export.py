"""Analysts' export: every view and the tables behind them (agencies, categories, runs,
agency_runs, findings with their evidence bundles, documents, reminders, the audit trail,
the evidence screenshots kept, the OPDs' declarations and their checks) to Parquet or CSV
files.
Overrides are visible in them as overrides: ``latest_findings.status_source = 'override'``
beside ``detector_status``, and the reviews themselves in ``active_overrides`` and
``review_history``."""

from __future__ import annotations

from pathlib import Path

import duckdb

VIEWS = ("latest_findings", "latest_scores", "score_history", "latest_findings_named",
         *("active_overrides", "review_history", "open_reviews"))
TABLES = ("agencies", "categories", "runs", "agency_runs", "findings", "documents", "reminders",
          "audit_log", "evidence_screenshots", "declarations", "declaration_checks")
FORMATS = {"parquet": "(FORMAT parquet)", "csv": "(FORMAT csv, HEADER true)"}


def export(con: duckdb.DuckDBPyConnection, out_dir: str | Path, fmt: str) -> list[Path]:
    """Write each contract view and reference table to ``out_dir/NAME.<fmt>``."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}: use {' or '.join(FORMATS)}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in VIEWS + TABLES:
        target = out / f"{name}.{fmt}"
        quoted = str(target).replace("'", "''")
        con.execute(f"COPY (SELECT * FROM {name}) TO '{quoted}' {FORMATS[fmt]}")
        written.append(target)
    return written
