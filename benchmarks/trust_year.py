"""A simulated year of weekly runs with flaky sites: how many false drops reach the dashboard
and the e-mails with and without confirmation before a drop (issue 13).

50 small PPID sites (a start page, a document table, six PDFs) are served on loopback by one
server whose every answer is, with probability ``fault_rate``, a 503 instead (decided by a
hash of the request, so a run is repeatable). Some agencies delete one document for real at
chosen weeks. Each of the 52 weekly runs crawls every site once (``crawl_site`` and
``detect_site``, as the flow's tasks do) and the same crawls feed two warehouses:

- **before** — the detector's findings are published as they are (the pipeline before
  issue 13);
- **after** — the old evidence of each drop is re-checked later in the run
  (``scrapers.crawling.recheck``, facing the same fault rate) and the findings are settled by
  ``scrapers.detection.health.review`` (confirmation, site health).

After each run the reminder planner (``reminders.policy.plan`` over ``reminders.store``'s
snapshot, the real templates) plans the e-mails of that week; they are logged as sent (no
SMTP server: the planner decides what an e-mail says). The ground truth is a fault-free crawl
of week 0 plus the scripted deletions. A **false drop** is a category published in the
truth but shown as missing or broken as a fact (confirmed): counted per (run, agency,
category) on the dashboard (the ``latest_findings`` status; findings labelled "belum
dikonfirmasi" are counted apart) and per (e-mail, category named missing or broken) in the
planned reminders (a category named ``stale`` — last year's report once the year turns — is a
true reminder, not a drop).
Real deletions are measured too: how many runs until the dashboard and the e-mails show them.

Faults hit every request, the crawler's own retries included; ``retries`` is the crawler's
setting (default: the project default).
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path

from benchmarks.common import Outcome, Row

PDF = b"%PDF-1.4\n" + b"0" * 3000
DOCUMENTS = {
    "dip": "Daftar Informasi Publik (DIP) 2026",
    "struktur": "Struktur Organisasi PPID",
    "sop": "SOP Pelayanan Informasi Publik",
    "maklumat": "Maklumat Pelayanan Informasi Publik",
    "lkjip": "Laporan Kinerja (LKjIP) 2025",
    "keuangan": "Laporan Realisasi Anggaran 2025",
}
BASE = datetime(2026, 1, 5, 2, 0)


@dataclass(frozen=True)
class Size:
    runs: int = 52
    agencies: int = 50
    fault_rate: float = 0.05
    deletions: tuple[tuple[int, int], ...] = ((1, 10), (7, 20), (13, 30), (19, 40), (25, 45))
    """(agency index, week) pairs: that agency deletes its DIP for real from that week on."""
    retries: int | None = None
    """The crawler's retries (None: the project default)."""
    seed: int = 13


FULL = Size()
QUICK = Size(runs=8, agencies=8, fault_rate=0.15, deletions=((1, 3), (5, 5)))


@dataclass
class World:
    """The sites' behaviour: which documents are deleted, which week it is, the fault dice."""

    size: Size
    week: int = 0
    faults_on: bool = True
    counter: dict[str, int] = field(default_factory=dict)
    faults: int = 0
    requests: int = 0

    def deleted(self, agency: int) -> bool:
        """Whether the agency has deleted its DIP by this week."""
        return any(a == agency and self.week >= w for a, w in self.size.deletions)

    def fault(self, path: str) -> bool:
        """Whether this request fails: a hash of (seed, week, path, how many times it was asked)."""
        if not self.faults_on:
            return False
        n = self.counter.get(path, 0)
        self.counter[path] = n + 1
        digest = hashlib.blake2b(f"{self.size.seed}|{self.week}|{path}|{n}".encode(),
                                 digest_size=8).digest()
        return int.from_bytes(digest, "big") / 2**64 < self.size.fault_rate


def agency_id(i: int) -> str:
    """``opd07``."""
    return f"opd{i:02d}"


def site_handler(world: World):
    """One loopback handler serving every agency under ``/opdNN/``."""
    from tests.loopback import Reply, html

    def reply(request):
        path = request.path_only
        world.requests += 1
        if world.fault(path):
            world.faults += 1
            return html("<h1>503 Service Unavailable</h1>", status=503)
        if path == "/robots.txt":
            return Reply(404, "", content_type="text/plain")
        parts = path.strip("/").split("/")
        if not parts or not parts[0].startswith("opd"):
            return html("not found", status=404)
        i = int(parts[0][3:])
        rest = "/".join(parts[1:])
        if rest == "":
            return html(f"<html><head><meta name='generator' content='WordPress 6.4'><title>PPID "
                        f"{parts[0]}</title></head><body><nav><a href='/{parts[0]}/ppid'>PPID</a>"
                        "</nav><h1>Dinas</h1></body></html>")
        if rest == "ppid":
            rows = "".join(f"<tr><td>{t}</td><td><a href='/{parts[0]}/files/{k}.pdf'>Unduh</a>"
                           "</td></tr>" for k, t in DOCUMENTS.items()
                           if not (k == "dip" and world.deleted(i)))
            return html("<html><head><title>Informasi Publik</title></head><body><h1>Informasi "
                        f"Publik</h1><table><tr><th>Jenis</th><th>Unduh</th></tr>{rows}</table>"
                        "</body></html>")
        if rest.startswith("files/") and rest.endswith(".pdf"):
            if rest == "files/dip.pdf" and world.deleted(i):
                return html("<h1>Not Found</h1>", status=404)
            return Reply(200, PDF, content_type="application/pdf")
        return html("not found", status=404)

    return reply


def run(size: Size, workdir: Path, log=print) -> Outcome:
    """The simulated year; returns the table rows and the details."""
    from tests.loopback import LoopbackServer

    world = World(size)
    started = time.perf_counter()
    with LoopbackServer({"/*": site_handler(world)}) as server:
        result = _year(size, world, server, workdir, log)
    result["seconds"] = round(time.perf_counter() - started, 1)
    result["requests"] = world.requests
    result["faults"] = world.faults
    return _outcome(size, result)


def _year(size: Size, world: World, server, workdir: Path, log) -> dict:
    from core.checklist import load_checklist
    from core.registry import Agency
    from core.settings import load_settings
    from scrapers.crawling.crawler import crawl_site
    from scrapers.detection.detect import detect_site
    from scrapers.model import BROKEN, MISSING

    settings = load_settings(env={})
    changes = dict(host_delay=0.0, use_sitemaps=False, retry_backoff=0.0, connect_timeout=3.0,
                   read_timeout=5.0, page_timeout=10.0)
    if size.retries is not None:
        changes["retries"] = size.retries
    settings = settings.replace("crawl", **changes)
    crawl = settings.crawl
    checklist = load_checklist()
    agencies = [Agency(id=agency_id(i), name=f"Dinas {i}", url=server.url(f"/{agency_id(i)}/"),
                       email=f"ppid@{agency_id(i)}.test", role="pelaksana" if i else "utama",
                       parent="" if i == 0 else agency_id(0)) for i in range(size.agencies)]
    today = BASE.date()

    # The truth: a fault-free crawl of week 0; deletions are added as they happen.
    world.faults_on = False
    truth = {}
    for a in agencies:
        findings = detect_site(crawl_site(a.url, crawl), checklist, today)
        truth[a.id] = {f.category_id for f in findings if f.status in ("found", "stale")}
    world.faults_on = True
    dip_truth = {a.id for a in agencies if "dip" in truth[a.id]}

    pipelines = {name: Pipeline(name, workdir / f"year-{name}.duckdb", settings, checklist)
                 for name in ("before", "after")}
    counts = {name: {"dashboard": 0, "email": 0, "emails": 0, "unconfirmed": 0,
                     "site_changed": 0}
              for name in pipelines}
    seen_drop: dict[str, dict[str, dict[str, int]]] = {n: {"dashboard": {}, "email": {}}
                                                       for n in pipelines}
    for week in range(1, size.runs + 1):
        world.week = week
        when = BASE + timedelta(days=7 * week)
        crawls = []
        for a in agencies:
            site = crawl_site(a.url, crawl)
            crawls.append((a, site, detect_site(site, checklist, when.date())))
        present = {a.id: truth[a.id] - ({"dip"} if world.deleted(i) else set())
                   for i, a in enumerate(agencies)}
        for name, pipeline in pipelines.items():
            shown, planned = pipeline.week(crawls, when, confirm=name == "after")
            c = counts[name]
            for agency, category, status, confirmed in shown:
                if status in (MISSING, BROKEN) and category in present[agency] and confirmed:
                    c["dashboard"] += 1
                if not confirmed:
                    c["unconfirmed"] += 1
                if (status in (MISSING, BROKEN) and category == "dip" and agency in dip_truth
                        and "dip" not in present[agency]):
                    seen_drop[name]["dashboard"].setdefault(agency, week)
            c["site_changed"] += pipeline.site_changed
            for agency, categories in planned:
                c["emails"] += 1
                c["email"] += sum(1 for category, status in categories.items()
                                  if status in (MISSING, BROKEN) and category in present[agency])
                if categories.get("dip") in (MISSING, BROKEN) and "dip" not in present[agency]:
                    seen_drop[name]["email"].setdefault(agency, week)
        if week % 10 == 0 or week == size.runs:
            log(f"   week {week}/{size.runs}: before {counts['before']}, after {counts['after']}")
    delays = {}
    for name in pipelines:
        for where in ("dashboard", "email"):
            lags = [seen_drop[name][where][agency_id(i)] - w for i, w in size.deletions
                    if agency_id(i) in seen_drop[name][where]]
            delays[f"{name}_{where}"] = {
                "seen": len(lags), "of": len(size.deletions),
                "mean_runs": round(sum(lags) / len(lags), 2) if lags else None}
    return {"counts": counts, "deletion_delay": delays,
            "findings_per_run": size.agencies * len(checklist.ids)}


class Pipeline:
    """One warehouse and its reminder log, fed the same crawls every week."""

    def __init__(self, name: str, path: Path, settings, checklist):
        self.name, self.path, self.settings, self.checklist = name, path, settings, checklist
        self.site_changed = 0
        self.hints = {c.id: c.upload_hint for c in checklist}
        from reminders.compose import Composer

        self.composer = Composer(settings)

    def week(self, crawls, when: datetime, *, confirm: bool):
        """Store one week's crawls (settled when ``confirm``) and plan its reminders; returns
        what the dashboard shows and what the e-mails name."""
        from reminders import store
        from reminders.model import Delivery
        from reminders.policy import plan
        from scrapers.crawling.recheck import recheck
        from scrapers.detection.confirm import patched_crawl
        from scrapers.detection.detect import detect_site
        from scrapers.detection.health import recheck_plan, review
        from warehouse import db
        from warehouse.load import AgencyOutcome, RunRecord, write_run
        from warehouse.prior import load_prior_runs

        priors = {}
        if confirm and self.path.exists():
            with db.writing(self.path) as con:
                priors = load_prior_runs(con)
        outcomes = []
        self.site_changed = 0
        for agency, site, findings in crawls:
            outcome = AgencyOutcome(agency=agency, findings=list(findings), crawl=site,
                                    error=site.error, checked_at=when)
            if confirm and outcome.reachable:
                prior = priors.get(agency.id)
                urls = recheck_plan(prior, site, outcome.findings, self.settings.trust)
                checks = recheck(urls, self.settings.crawl, start_url=agency.url) if urls else {}
                findings = outcome.findings
                patched = patched_crawl(site, checks)
                if patched is not None:
                    site, findings = patched, detect_site(patched, self.checklist, when.date())
                settled, health = review(prior, site, findings, checks, self.settings.trust)
                outcome = replace(outcome, crawl=site, findings=settled, health=health,
                                  rechecks=checks)
                self.site_changed += health.changed
            outcomes.append(outcome)
        record = RunRecord(started_at=when - timedelta(minutes=30), finished_at=when,
                           categories=list(self.checklist), outcomes=outcomes, registry="year")
        shown = [(o.agency.id, f.category_id, f.status, f.confirmed)
                 for o in outcomes for f in o.findings]
        with db.writing(self.path) as con:
            write_run(con, record)
            snapshot = store.read_snapshot(con)
            planned = plan(snapshot, self.settings, when.date(), composer=self.composer)
            for message in store.claim_on(con, planned, when):
                store.record_on(con, message, Delivery("sent", 1, sent_at=when), when)
        statuses = {a.id: {g.category_id: g.status for g in a.gaps}
                    for a in snapshot.agencies.values()}
        return shown, [(m.agency_id, {c: statuses[m.agency_id].get(c) for c in m.categories})
                       for m in planned.messages if m.kind == "reminder"]


def _outcome(size: Size, r: dict) -> Outcome:
    before, after = r["counts"]["before"], r["counts"]["after"]
    delay = r["deletion_delay"]
    rows = [
        Row(f"year: false drops on the dashboard ({size.runs} runs × {size.agencies} agencies, "
            f"{size.fault_rate:.0%} faults)", str(after["dashboard"]), f"{before['dashboard']} before",
            _ratio(after["dashboard"], before["dashboard"]), "fewer than before",
            after["dashboard"] < before["dashboard"] or before["dashboard"] == 0),
        Row("year: false drops in e-mails", str(after["email"]), f"{before['email']} before",
            _ratio(after["email"], before["email"]), "0", after["email"] == 0),
        Row("year: real deletions reaching the e-mails",
            f"{delay['after_email']['seen']}/{delay['after_email']['of']}, "
            f"{delay['after_email']['mean_runs']} runs late",
            f"{delay['before_email']['seen']}/{delay['before_email']['of']}, "
            f"{delay['before_email']['mean_runs']} runs late", "—", "all seen",
            delay["after_email"]["seen"] == delay["after_email"]["of"]),
    ]
    details = "\n".join([
        f"{size.runs} weekly runs × {size.agencies} agencies × 30 categories; every request "
        f"fails with probability {size.fault_rate:.0%} (503), the crawler's retries included; "
        f"{len(size.deletions)} agencies delete their DIP for real. {r['requests']} requests, "
        f"{r['faults']} faults, {r['seconds']} s.",
        "",
        "| | before (detector as is) | after (confirmation + site health) |",
        "|---|---|---|",
        f"| false drops on the dashboard, confirmed (run × agency × category) | {before['dashboard']} | "
        f"{after['dashboard']} |",
        f"| false drops in e-mails (e-mail × category) | {before['email']} | {after['email']} |",
        f"| reminder e-mails planned | {before['emails']} | {after['emails']} |",
        f"| findings shown as belum dikonfirmasi | {before['unconfirmed']} | "
        f"{after['unconfirmed']} |",
        f"| site-runs marked situs berubah | {before['site_changed']} | {after['site_changed']} |",
        f"| real deletions on the dashboard (seen, mean runs late) | "
        f"{delay['before_dashboard']['seen']}, {delay['before_dashboard']['mean_runs']} | "
        f"{delay['after_dashboard']['seen']}, {delay['after_dashboard']['mean_runs']} |",
        f"| real deletions in e-mails (seen, mean runs late) | {delay['before_email']['seen']}, "
        f"{delay['before_email']['mean_runs']} | {delay['after_email']['seen']}, "
        f"{delay['after_email']['mean_runs']} |",
    ])
    return Outcome("trust", rows, details, raw=r)


def _ratio(after: int, before: int) -> str:
    return f"{after / before:.2f}" if before else "—"


def main(argv: list[str] | None = None) -> int:
    """``python -m benchmarks.trust_year [--quick]``: print the table."""
    import argparse
    import tempfile

    parser = argparse.ArgumentParser(prog="python -m benchmarks.trust_year", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="8 runs × 8 agencies, 15 % faults")
    parser.add_argument("--retries", type=int, default=None,
                        help="the crawler's retries (default: the project's setting)")
    args = parser.parse_args(argv)
    size = QUICK if args.quick else FULL
    if args.retries is not None:
        size = replace(size, retries=args.retries)
    with tempfile.TemporaryDirectory(prefix="pantau-year-") as tmp:
        outcome = run(size, Path(tmp))
    print(outcome.details)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

