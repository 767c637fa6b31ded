"""``pantau demo``: the bundled sample PPID sites on loopback, three crawls, then the dashboard.

Between the crawls the sample world moves to its next epoch (uploads appear, a document
disappears), so the dashboard opens on a database with history. The sample sites keep
being served while the dashboard runs, so evidence links open.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from core.vocabulary import RUN
from flows.crawl import crawl_all
from sample_world import SampleWorld

EPOCHS = (1, 2, 3)
DEMO_SETTINGS = """\
# Settings for the demo. The sample sites all live on 127.0.0.1 (one port each), and the
# per-host delay is per host name, so a delay would serialise the whole world: none here.
crawl:
  host_delay: 0.0
  retries: 1
  retry_backoff: 0.1
schedule:
  max_workers: 12
  agency_task_retries: 0
"""


def prepare(workdir: Path) -> tuple[Path, Path]:
    """A fresh demo folder: its database is rebuilt every time, its settings written once."""
    workdir.mkdir(parents=True, exist_ok=True)
    db = workdir / "demo.duckdb"
    for stale in (db, workdir / "demo.duckdb.wal"):
        stale.unlink(missing_ok=True)
    settings = workdir / "demo-settings.yaml"
    if not settings.exists():
        settings.write_text(DEMO_SETTINGS, encoding="utf-8")
    return db, settings


def crawl_epochs(world: SampleWorld, workdir: Path, db: Path, settings: Path,
                 say: Callable[[str], None] = print) -> list[int]:
    """Crawl the sample world once per epoch (uploads appear between runs); the run ids."""
    registry = world.write_registry(workdir / "registry-demo.yaml")
    run_ids = []
    for epoch in EPOCHS:
        world.set_epoch(epoch)
        say(f"{RUN.capitalize()} {epoch}/{len(EPOCHS)} atas {len(world.sites)} situs contoh …")
        run_ids.append(crawl_all(registry=str(registry), db=str(db),
                                 settings_file=str(settings))["run_id"])
    return run_ids


def run_demo(workdir: Path, port: int = 8501, dashboard: bool = True,
             say: Callable[[str], None] = print) -> list[int]:
    """Serve the sample world, crawl it three times, then (``dashboard``) run the dashboard
    on ``port`` until interrupted, the sample sites still served so evidence links open.
    A busy port is refused (``dashboard.launch.LaunchError``) before any crawl starts."""
    if dashboard:
        from dashboard.launch import ensure_port_free

        ensure_port_free(port)
    db, settings = prepare(workdir)
    with SampleWorld() as world:
        run_ids = crawl_epochs(world, workdir, db, settings, say)
        say(f"Selesai: {len(run_ids)} {RUN} tersimpan di {db}")
        if dashboard:
            from dashboard.launch import HOST, run_foreground

            say(f"Dasbor: http://{HOST}:{port} (Ctrl+C untuk berhenti)")
            run_foreground(db, port)
    return run_ids


def clean(workdir: Path) -> None:
    """Remove the demo's working folder."""
    shutil.rmtree(workdir, ignore_errors=True)
