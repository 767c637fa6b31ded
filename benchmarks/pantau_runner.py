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
        crawls = list(pool.map(lambda s: crawl_site(s.url, settings, hosts=hosts), world.sites))
    elapsed = time.perf_counter() - started
    pages = sum(1 for c in crawls for p in c.pages if p.status == 200)
    result = {
        "crawler": "pantau",
        "elapsed": elapsed,
        "pages": pages,
        "page_records": sum(len(c.pages) for c in crawls),
        "documents": sum(len(c.documents) for c in crawls),
        "documents_ok": sum(1 for c in crawls for d in c.documents.values() if d.ok),
        "requests": sum(c.requests for c in crawls),
        "body_bytes": sum(c.body_bytes for c in crawls),
        "unreachable": sum(1 for c in crawls if not c.reachable),
        "errors": sorted({p.error for c in crawls for p in c.pages if p.error})[:5],
        "peak_rss_mb": peak_rss_mb(),
        "settings": settings.model_dump(),
    }
    with open(args.out, "w") as fh:
        json.dump(result, fh)
    return 0


if __name__ == "__main__":
    sys.exit(main())
