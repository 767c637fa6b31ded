"""Child process: the smart recrawl measured through the real ``crawl_all`` flow.

``python -m benchmarks.smart_runner WORLD_JSON WORKDIR OUT_JSON [--delay D] [--workers N]
[--share S]``

On a Prefect test server (``prefect_test_harness``): run 1 crawls the world (a full crawl:
every agency's first run); then ``share`` of the world's pages and documents change
(``benchmarks.world.mutate``); the warehouse is copied, and the changed world is crawled
twice from the same state: run 2 as the weekly run would (smart), and run 2' with
``full=True`` (every URL asked again; without the per-host delay, ``--full-delay``, since only
its findings are compared). The two run-2 findings are compared: every category whose status
the full recrawl saw change must have changed the same way in the smart one. Wall times cover
the whole flow (cache read, crawl, detection, the warehouse write).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import sys
import time
from datetime import date
from pathlib import Path


def write_inputs(world, workdir: Path, delay: float, workers: int,
                 name: str = "settings.yaml") -> tuple[Path, Path]:
    import yaml

    registry = workdir / "registry.yaml"
    registry.write_text(yaml.safe_dump({"agencies": [
        {"id": s.name, "name": f"PPID Perangkat Daerah {s.index}", "url": s.url,
         "email": f"ppid@{s.name}.example.go.id", "role": "utama", "parent": ""}
        for s in world.sites
    ]}, sort_keys=False))
    settings = workdir / name
    settings.write_text(yaml.safe_dump({
        "crawl": {"host_delay": delay, "use_sitemaps": True, "connect_timeout": 5,
                  "read_timeout": 10, "page_timeout": 20, "retries": 1},
        "schedule": {"max_workers": workers, "agency_task_retries": 0},
    }))
    return registry, settings


def run_once(registry: Path, db: Path, settings: Path, full: bool = False) -> float:
    from flows.crawl import crawl_all

    start = time.perf_counter()
    crawl_all(registry=str(registry), db=str(db), settings_file=str(settings), today=date.today(),
              full=full)
    return time.perf_counter() - start


def run_figures(db: Path, run_id: int) -> dict:
    """Requests, bytes, pages and crawl modes of one run, and how long its crawls took."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        (requests, body, pages, documents, smart, full, unreachable, crawl_s) = con.execute(
            "SELECT sum(requests), sum(body_bytes), sum(pages), sum(documents), "
            "count(*) FILTER (WHERE crawl_mode = 'smart'), "
            "count(*) FILTER (WHERE crawl_mode = 'full'), count(*) FILTER (WHERE NOT reachable), "
            "max(epoch(checked_at) - epoch(started_at)) "
            "FROM agency_runs WHERE run_id = ?", [run_id]).fetchall()[0]
        reasons = dict(con.execute(
            "SELECT coalesce(crawl_reason, '—'), count(*) FROM agency_runs WHERE run_id = ? "
            "GROUP BY ALL", [run_id]).fetchall())
    finally:
        con.close()
    return {"run_id": run_id, "requests": int(requests or 0), "body_bytes": int(body or 0),
            "pages": int(pages or 0), "documents": int(documents or 0), "smart": smart,
            "full": full, "unreachable": unreachable, "slowest_crawl": float(crawl_s or 0),
            "reasons": reasons}


def findings(db: Path, run_id: int) -> dict[tuple[str, str], tuple]:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(
            "SELECT agency_id, category_id, status, coalesce(detector_status, status), "
            "evidence_url FROM findings WHERE run_id = ?", [run_id]).fetchall()
    finally:
        con.close()
    return {(a, c): (s, d, e) for a, c, s, d, e in rows}


def compare(before: dict, full: dict, smart: dict) -> dict:
    """Changes the full recrawl saw against the smart recrawl's findings."""
    changed = [k for k in full if before.get(k, (None, None))[:2] != full[k][:2]]
    missed = [k for k in changed if smart.get(k, (None, None))[:2] != full[k][:2]]
    extra = [k for k in full if k not in changed and smart.get(k, (None, None))[:2] != full[k][:2]]
    evidence = [k for k in full if smart.get(k, (None, None, None))[2] != full[k][2]]
    return {"categories": len(full), "changed_by_full": len(changed), "missed": len(missed),
            "missed_examples": [list(k) + [list(before.get(k, ())), list(full[k]), list(smart.get(k, ()))]
                                for k in missed[:5]],
            "differ_elsewhere": len(extra), "evidence_url_differs": len(evidence)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("world")
    parser.add_argument("workdir")
    parser.add_argument("out")
    parser.add_argument("--delay", type=float, default=0.5)
    parser.add_argument("--workers", type=int, default=32)
    parser.add_argument("--share", type=float, default=0.05)
    parser.add_argument("--full-delay", type=float, default=0.0,
                        help="per-host delay of the full recrawl run 2' (only its findings count)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")

    from prefect.testing.utilities import prefect_test_harness

    from benchmarks.world import World, mutate

    world = World.load(args.world)
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    registry, settings = write_inputs(world, workdir, args.delay, args.workers)
    _, full_settings = write_inputs(world, workdir, args.full_delay, args.workers, "full.yaml")
    db, db_full = workdir / "smart.duckdb", workdir / "full.duckdb"
    walls = {}
    with prefect_test_harness(server_startup_timeout=180):
        walls["first"] = run_once(registry, db, settings)
        changes = mutate(world, args.share)
        shutil.copy(db, db_full)
        walls["smart"] = run_once(registry, db, settings)
        walls["full"] = run_once(registry, db_full, full_settings, full=True)
    first, smart, full = run_figures(db, 1), run_figures(db, 2), run_figures(db_full, 2)
    result = {
        "runs": {"first": {**first, "wall": walls["first"]}, "smart": {**smart, "wall": walls["smart"]},
                 "full": {**full, "wall": walls["full"]}},
        "changes": changes,
        "findings": compare(findings(db, 1), findings(db_full, 2), findings(db, 2)),
        "delay": args.delay, "full_delay": args.full_delay, "workers": args.workers,
        "share": args.share,
    }
    Path(args.out).write_text(json.dumps(result, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
