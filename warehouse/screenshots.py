"""Evidence screenshots taken on request, kept with the run (``evidence_screenshots``).

:func:`take_screenshot` is what the dashboard's button and ``pantau evidence --screenshot``
run: read the finding's evidence bundle (a short read-only connection), render its evidence
page with the crawler's browser (``scrapers.crawling.screenshot``: the agency's address guard
and the request deadline for every request the browser makes; no database connection is held
meanwhile), write the PNG under the data folder (the database's folder, ``bukti/``), then one
short write transaction, retried while another process holds the file, that records the path
and the PNG's SHA-256 and appends the audit row (``screenshot``).

The messages of :class:`ScreenshotResult` are for the user (Indonesian).
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from core.settings import CrawlSettings
from scrapers.crawling.render import Renderer
from scrapers.crawling.screenshot import Capture, capture_evidence
from warehouse import audit, db, queries

SCREENSHOT_FOLDER = "bukti"
"""Screenshots live in this folder beside the database file (the data folder)."""
ACTION = "screenshot"
"""The audit_log action of a screenshot taken."""
BUSY = "Basis data sedang ditulis proses lain (putaran pemantauan); coba lagi sebentar lagi."
_SAFE = re.compile(r"[^A-Za-z0-9_.-]+")


@dataclass(frozen=True)
class ScreenshotResult:
    """What a screenshot request did, for the user."""

    taken: bool
    message: str
    """Indonesian: what happened, or why no screenshot was taken."""
    path: Path | None = None
    """The PNG file (absolute) when taken."""
    sha256: str | None = None
    not_applicable: bool = False
    """No screenshot is taken for this evidence (a document, not a page): not a failure."""


def evidence_bundle(con: duckdb.DuckDBPyConnection, agency_id: str, category_id: str,
                    run_id: int | None = None) -> dict[str, Any] | None:
    """The finding's evidence bundle row (``evidence_bundle`` named query), or None when the
    finding has no evidence (missing, unreachable, unknown agency or category)."""
    rows = queries.records(con, "evidence_bundle", agency_id=agency_id,
                           category_id=category_id, run_id=run_id)
    return rows[0] if rows else None


def screenshot_file(db_path: str | Path, stored: str) -> Path | None:
    """The PNG a stored (relative) path names, if it lies inside the data folder's screenshot
    folder and exists; None otherwise (a moved file, a row pointing elsewhere)."""
    folder = (Path(db_path).resolve().parent / SCREENSHOT_FOLDER).resolve()
    path = (Path(db_path).resolve().parent / stored).resolve()
    if not path.is_relative_to(folder) or not path.is_file():
        return None
    return path


def take_screenshot(db_path: str | Path, agency_id: str, category_id: str, *,
                    settings: CrawlSettings, actor: str, run_id: int | None = None,
                    renderer: Renderer | None = None, write_wait: float = 10.0,
                    now: datetime | None = None) -> ScreenshotResult:
    """Screenshot the evidence page of one finding (latest run unless ``run_id``) and keep it
    with that run. ``actor`` is who asked (``audit.reviewer_actor(...)``, ``audit.CLI``)."""
    try:
        with db.read_only(db_path, wait=write_wait) as con:
            bundle = evidence_bundle(con, agency_id, category_id, run_id)
    except duckdb.Error as exc:
        if db.is_lock_error(exc):
            return ScreenshotResult(False, BUSY)
        raise
    if bundle is None:
        return ScreenshotResult(False, "Temuan ini tidak punya alamat bukti untuk difoto.")
    verify = settings.verify_tls and not bundle.get("insecure_tls")
    capture = capture_evidence(bundle["evidence_url"], agency_url=bundle["agency_url"],
                               settings=settings, content_type=bundle["evidence_content_type"],
                               verify_tls=verify, renderer=renderer)
    if capture.not_applicable:
        return ScreenshotResult(False, "Tangkapan layar tidak berlaku untuk bukti ini: buktinya "
                                       "berkas dokumen (mis. PDF), bukan halaman. Buka berkasnya; "
                                       "sidik SHA-256-nya ada di rincian bukti.",
                                not_applicable=True)
    if capture.error:
        return ScreenshotResult(False, f"Tangkapan layar gagal diambil ({capture.error}).")
    path, sha256 = _write_png(Path(db_path), bundle, capture)
    stored = path.relative_to(Path(db_path).resolve().parent).as_posix()
    try:
        _record(db_path, bundle, capture, stored, sha256, actor, now or datetime.now(UTC),
                write_wait)
    except duckdb.Error as exc:
        if db.is_lock_error(exc) or "configuration" in str(exc).lower():
            return ScreenshotResult(False, f"{BUSY} Berkas gambarnya sudah ada ({stored}) tetapi "
                                           "belum tercatat.", path, sha256)
        raise
    return ScreenshotResult(True, f"Tangkapan layar disimpan: {stored}", path, sha256)


def _write_png(db_path: Path, bundle: dict[str, Any], capture: Capture) -> tuple[Path, str]:
    """Write the PNG under ``bukti/putaran-N/`` (named by its hash, so a retake never
    overwrites the file an earlier row names); written whole or not at all."""
    sha256 = hashlib.sha256(capture.png).hexdigest()
    folder = db_path.resolve().parent / SCREENSHOT_FOLDER / f"putaran-{int(bundle['run_id'])}"
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{_SAFE.sub('_', bundle['agency_id'])}-{_SAFE.sub('_', bundle['category_id'])}"
    path = folder / f"{name}-{sha256[:16]}.png"
    partial = path.with_suffix(".png.part")
    partial.write_bytes(capture.png)
    os.replace(partial, path)
    return path, sha256


def _record(db_path: str | Path, bundle: dict[str, Any], capture: Capture, stored: str,
            sha256: str, actor: str, at: datetime, wait: float) -> None:
    """The screenshot row and its audit row, in one short transaction."""
    key = {"run_id": int(bundle["run_id"]), "agency_id": bundle["agency_id"],
           "category_id": bundle["category_id"]}
    row = {**key, "url": capture.url, "path": stored, "sha256": sha256, "taken_by": actor,
           "taken_at": at}
    deadline = time.monotonic() + wait
    delay = 0.05
    while True:
        try:
            with db.writing(db_path, wait=max(0.05, deadline - time.monotonic())) as con:
                _insert_with_audit(con, key, row, actor, at, capture.final_url)
                return
        except duckdb.Error as exc:
            # Held by the crawl (a lock), or by a reader of this same process (DuckDB then
            # refuses a second configuration): wait and try again, up to ``wait`` seconds.
            busy = db.is_lock_error(exc) or "configuration" in str(exc).lower()
            if not busy or time.monotonic() >= deadline:
                raise
        time.sleep(delay)
        delay = min(delay * 2, 0.5)


def _insert_with_audit(con: duckdb.DuckDBPyConnection, key: dict[str, Any], row: dict[str, Any],
                       actor: str, at: datetime, final_url: str) -> None:
    con.execute("BEGIN TRANSACTION")
    try:
        before = queries.execute(con, "screenshot_previous", **key)
        queries.execute(con, "screenshot_record", **row)
        audit.record(con, at=at, actor=actor, action=ACTION, agency_id=key["agency_id"],
                     category_id=key["category_id"], before=before[0] if before else None,
                     after={**row, "final_url": final_url}, note=f"putaran {key['run_id']}")
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
