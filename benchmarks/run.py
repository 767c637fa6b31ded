"""``python -m benchmarks.run`` (``make bench``): every benchmark, one table, RESULTS.md.

    python -m benchmarks.run                       # all five at full size, writes RESULTS.md
    python -m benchmarks.run --only warehouse --quick
    python -m benchmarks.run --only crawl,politeness --no-profile
    python -m benchmarks.run --only render --quick

Benchmarks: ``crawl`` (1 throughput against Scrapy, 5 peak memory), ``politeness`` (2),
``recrawl`` (3), ``smart`` (8: smart recrawl of a world 5 % changed), ``warehouse`` (4), ``render`` (6: client-rendered sites), ``trust`` (7: a
simulated year of flaky weekly runs, false drops before and after confirmation), ``national``
(9: the crawl_all flow over 1,000 / 10,000 / 30,000 loopback sites on a Dask cluster; 10: the
Prefect overhead at 1,000 agencies). ``--quick`` shrinks every world and the warehouse for
development; only a full run of all benchmarks writes ``benchmarks/RESULTS.md`` unless
``--results PATH`` says otherwise. Nothing here is a pass/fail test: a target that is not met
is reported, and the exit status is 0 unless a benchmark could not run at all.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import tempfile
import time
import traceback
from datetime import datetime
from pathlib import Path

from benchmarks import crawl, national, render, smart_recrawl, trust_year, warehouse
from benchmarks.common import Outcome, Row, machine
from benchmarks.world import find_nginx

ALL = ("crawl", "politeness", "recrawl", "smart", "warehouse", "render", "trust", "national")
SERVED = {"crawl", "politeness", "recrawl", "smart", "render", "national"}
"""Benchmarks that serve a generated world (nginx, or the Python fallback server)."""
RESULTS = Path(__file__).with_name("RESULTS.md")


def table(rows: list[Row]) -> str:
    """The results table, Markdown (also readable on a terminal)."""
    head = ("figure", "Pantau", "peer or bound", "ratio", "target", "met")
    body = [(r.figure, r.pantau, r.peer, r.ratio, r.target, r.verdict) for r in rows]
    widths = [max(len(str(x)) for x in col) for col in zip(head, *body, strict=False)]

    def line(cells):
        return "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=False)) + " |"

    return "\n".join([line(head), "|" + "|".join("-" * (w + 2) for w in widths) + "|",
                      *(line(b) for b in body)])


def results_markdown(outcomes: list[Outcome], facts: dict[str, str], args, total_s: float) -> str:
    rows = [r for o in outcomes for r in o.rows]
    missed = [r for r in rows if r.met is False]
    lines = [
        "# Benchmark results",
        "",
        f"Written by `python -m benchmarks.run` ({'`make bench`' if not args.quick else '--quick'}) "
        f"on {datetime.now().strftime('%Y-%m-%d %H:%M')}; the whole run took {total_s / 60:.1f} min. "
        "Nothing here is a timed test: targets that are not met are reported as such.",
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
        *(f"| {k} | {v} |" for k, v in facts.items()),
        "",
        "The machine is shared: other processes (test suites, browsers) may run during a benchmark; "
        "each section notes the load average when it started. Numbers from a loaded 2-core machine "
        "are noisy — compare ratios measured in the same run rather than absolute figures.",
        "",
        "## Summary",
        "",
        table(rows),
        "",
    ]
    if missed:
        lines += ["Not met: " + "; ".join(r.figure.strip() for r in missed) + ".", ""]
    for o in outcomes:
        lines += [f"## {o.name} ({o.seconds:.0f} s)", "", o.details or "(no details)", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default=",".join(ALL),
                        help=f"comma-separated subset of {', '.join(ALL)}")
    parser.add_argument("--quick", action="store_true", help="small worlds, for development")
    parser.add_argument("--repeat", type=int, default=None,
                        help="runs of each crawler in (1); the median is reported")
    parser.add_argument("--concurrency", type=int, default=None)
    parser.add_argument("--sites", type=int, default=None, help="sites of the world in (1)")
    parser.add_argument("--pages", type=int, default=None, help="pages per site in (1)")
    parser.add_argument("--no-profile", action="store_true",
                        help="skip the py-spy profiles of the crawler (1) and the flow (3)")
    parser.add_argument("--profile-always", action="store_true",
                        help="profile the crawler (1) even when it beats Scrapy")
    parser.add_argument("--politeness-peer", action="store_true",
                        help="also crawl the politeness world with Scrapy at the same delay")
    parser.add_argument("--python-server", action="store_true",
                        help="serve the worlds with the Python fallback server instead of nginx")
    parser.add_argument("--recrawl-mode", choices=("flow", "direct"), default=None)
    parser.add_argument("--national-sizes", default=None,
                        help="agencies of each national run in (8), comma-separated "
                             "(default 1000,10000,30000)")
    parser.add_argument("--results", type=Path, default=None,
                        help="write the Markdown results here (default: RESULTS.md on a full run)")
    parser.add_argument("--json", type=Path, default=None, help="also write raw numbers as JSON")
    args = parser.parse_args(argv)

    only = [x.strip() for x in args.only.split(",") if x.strip()]
    unknown = set(only) - set(ALL)
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
    size = crawl.QUICK if args.quick else crawl.FULL
    changes = {}
    if args.repeat:
        changes["repeat"] = args.repeat
    if args.concurrency:
        changes["concurrency"] = args.concurrency
    if args.no_profile:
        changes["profile_sites"] = 0
        changes["flow_profile_sites"] = 0
    if args.profile_always:
        changes["profile_always"] = True
    if args.politeness_peer:
        changes["politeness_peer"] = True
    if args.recrawl_mode:
        changes["recrawl_mode"] = args.recrawl_mode
    if args.sites or args.pages:
        changes["world"] = dataclasses.replace(size.world, sites=args.sites or size.world.sites,
                                               pages=args.pages or size.world.pages)
    size = dataclasses.replace(size, **changes)
    wh_size = warehouse.QUICK if args.quick else warehouse.FULL
    render_size = render.QUICK if args.quick else render.FULL
    national_size = national.QUICK if args.quick else national.FULL
    if args.national_sizes:
        sizes = tuple(int(x) for x in args.national_sizes.split(",") if x.strip())
        national_size = dataclasses.replace(national_size, sizes=sizes)
    prefer_nginx = not args.python_server
    nginx = find_nginx(log=print) if prefer_nginx and set(only) & SERVED else None
    if prefer_nginx and not nginx and set(only) & SERVED:
        print("nginx is not available and could not be installed: using the Python fallback "
              "server (documented in the results)")
    facts = machine(nginx)
    print("Machine: " + "; ".join(f"{k} {v}" for k, v in facts.items()))

    started = time.perf_counter()
    outcomes: list[Outcome] = []
    failed = False
    with tempfile.TemporaryDirectory(prefix="pantau-bench-") as tmp:
        workdir = Path(tmp)
        steps = {
            "crawl": lambda: crawl.throughput(size, workdir, prefer_nginx),
            "politeness": lambda: crawl.politeness(size, workdir, prefer_nginx),
            "recrawl": lambda: crawl.recrawl(size, workdir, prefer_nginx),
            "smart": lambda: smart_recrawl.run(smart_recrawl.QUICK if args.quick
                                               else smart_recrawl.FULL, workdir, prefer_nginx),
            "warehouse": lambda: warehouse.run(wh_size, workdir),
            "render": lambda: render.run(render_size, workdir, prefer_nginx),
            "trust": lambda: trust_year.run(trust_year.QUICK if args.quick else trust_year.FULL,
                                            workdir),
            "national": lambda: national.run(national_size, workdir),
        }
        for name in only:
            print(f"\n== {name}", flush=True)
            t0 = time.perf_counter()
            try:
                produced = steps[name]()
            except Exception as exc:  # noqa: BLE001 - one broken benchmark must not hide the others
                failed = True
                traceback.print_exc()
                produced = Outcome(name, [Row(f"{name}: could not run", "—", "—", "—", "—", False)],
                                   details=f"Failed: `{exc!r}`"[:3000])
            for o in produced if isinstance(produced, tuple) else (produced,):
                o.seconds = time.perf_counter() - t0
                outcomes.append(o)
            print(f"   ({time.perf_counter() - t0:.0f} s)", flush=True)
    total = time.perf_counter() - started

    rows = [r for o in outcomes for r in o.rows]
    print()
    print(table(rows))
    print(f"\nTotal: {total / 60:.1f} min")
    full_run = not args.quick and set(only) == set(ALL)
    target = args.results or (RESULTS if full_run else None)
    if target:
        target.write_text(results_markdown(outcomes, facts, args, total), encoding="utf-8")
        print(f"Results written to {target}")
    if args.json:
        args.json.write_text(json.dumps({"machine": facts, "outcomes": [dataclasses.asdict(o) for o in outcomes]},
                                        default=str, indent=1))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
