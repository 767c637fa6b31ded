"""Child process: Pantau's crawler over a generated world, as the flow would run it per agency.

``python -m benchmarks.pantau_runner WORLD_JSON OUT_JSON [--concurrency N] [--host-delay D] [--offsite-checks]``

Sites are crawled in parallel by a thread pool of ``--concurrency`` threads, each running
``scrapers.crawling.crawler.crawl_site(site_url, CrawlSettings(...))``; within a site, requests go one at
a time (``connections_per_host=1``, like Scrapy's ``CONCURRENT_REQUESTS_PER_DOMAIN=1``).
Writes pages, documents, requests, bytes, the crawl's wall time and the process's peak RSS.
The timer covers the crawl only (not the interpreter start or imports), like the Scrapy child's.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from benchmarks.common import peak_rss_mb

COUNTED = ("pages", "page_records", "documents", "documents_ok", "requests", "body_bytes",
           "unreachable")


def crawl_counts(c) -> dict:
    """What the benchmark reports of one site's crawl."""
    return {"pages": sum(1 for p in c.pages if p.status == 200), "page_records": len(c.pages),
            "documents": len(c.documents),
            "documents_ok": sum(1 for d in c.documents.values() if d.ok),
            "requests": c.requests, "body_bytes": c.body_bytes, "unreachable": int(not c.reachable),
            "errors": sorted({p.error for p in c.pages if p.error})}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("world")
    parser.add_argument("out")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--host-delay", type=float, default=0.0)
    parser.add_argument("--max-pages", type=int, default=300)
    parser.add_argument("--offsite-checks", action="store_true",
                        help="verify links to off-site publication hosts (LAPOR, JDIH …) too")
    args = parser.parse_args(argv)

    from benchmarks.world import World
    from core.settings import CrawlSettings
    from scrapers.crawling.crawler import crawl_site

    world = World.load(args.world)
    settings = CrawlSettings(
        host_delay=args.host_delay,
        connections_per_host=1,
        max_pages=args.max_pages,
        use_sitemaps=False,  # Scrapy's spider reads no sitemaps either; both read robots.txt
        obey_robots=True,
    )
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=args.concurrency, thread_name_prefix="site") as pool:
        # Off-site publication hosts are left alone by default: Scrapy's spider does not follow
        # off-site links either, and every site's check of www.lapor.go.id would queue behind
        # that one host's delay (in a sandbox they do not even resolve).
        hosts = None if args.offsite_checks else ()
        # Each site's crawl is reduced to its counts as it ends (like Scrapy's dropped items):
        # the flow streams a site's rows away too, so nothing of the pages is kept.
        counts = list(pool.map(lambda s: crawl_counts(crawl_site(s.url, settings, hosts=hosts)),
                               world.sites))
    elapsed = time.perf_counter() - started
    result = {
        "crawler": "pantau",
        "elapsed": elapsed,
        **{key: sum(c[key] for c in counts) for key in COUNTED},
        "errors": sorted({e for c in counts for e in c["errors"]})[:5],
        "peak_rss_mb": peak_rss_mb(),
        "settings": settings.model_dump(),
    }
    with open(args.out, "w") as fh:
        json.dump(result, fh)
    return 0


if __name__ == "__main__":
    sys.exit(main())
