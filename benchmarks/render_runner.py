"""Child process: Pantau's crawler over a world in which some sites are client-rendered.

``python -m benchmarks.render_runner WORLD_JSON OUT_JSON [--concurrency N] [--render MODE]``

Like ``benchmarks.pantau_runner``, with the registry's ``render`` mode for every site and the
worker's one shared browser (closed at the end). Besides pages, documents and wall time it
writes, per site, whether any page was rendered and how long the site took, and the peak
RSS of this process and the peak memory of the browser's processes (sampled every 0.2 s:
Chromium runs as child processes, which ``VmHWM`` of this process does not count; their PSS
is summed, so the pages they share are counted once, not once per process).
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import psutil

from benchmarks.common import peak_rss_mb


class ChildMemory:
    """Peak summed PSS of this process's descendants (the browser), sampled in a thread."""

    def __init__(self, interval: float = 0.2) -> None:
        self.interval = interval
        self.peak_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = psutil.Process()
        while not self._stop.wait(self.interval):
            total = 0
            for child in me.children(recursive=True):
                try:
                    total += child.memory_full_info().pss
                except psutil.Error:
                    continue
            self.peak_mb = max(self.peak_mb, total / 2**20)

    def __enter__(self) -> ChildMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("world")
    parser.add_argument("out")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--render", choices=("auto", "always", "never"), default="auto")
    parser.add_argument("--max-pages", type=int, default=300)
    args = parser.parse_args(argv)

    from benchmarks.world import World
    from core.settings import CrawlSettings
    from scrapers.crawling.crawler import crawl_site
    from scrapers.crawling.render import shared_renderer

    world = World.load(args.world)
    settings = CrawlSettings(
        host_delay=0.0,
        connections_per_host=1,
        max_pages=args.max_pages,
        render_max_pages=args.max_pages,
        use_sitemaps=False,
        obey_robots=True,
    )

    def crawl(site):
        started = time.perf_counter()
        result = crawl_site(site.url, settings, render=args.render)
        return result, time.perf_counter() - started

    with ChildMemory() as browser_memory:
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.concurrency, thread_name_prefix="site") as pool:
            done = list(pool.map(crawl, world.sites))
        elapsed = time.perf_counter() - started
        shared_renderer(settings).close()
    crawls = [c for c, _ in done]
    result = {
        "crawler": f"pantau render={args.render}",
        "elapsed": elapsed,
        "pages": sum(1 for c in crawls for p in c.pages if p.status == 200),
        "pages_rendered": sum(1 for c in crawls for p in c.pages if p.rendered),
        "documents_ok": sum(1 for c in crawls for d in c.documents.values() if d.ok),
        "requests": sum(c.requests for c in crawls),
        "unreachable": sum(1 for c in crawls if not c.reachable),
        "errors": sorted({c.error for c in crawls if c.error})[:3],
        "sites": [
            {"url": c.start_url, "seconds": seconds, "reachable": c.reachable,
             "rendered": any(p.rendered for p in c.pages),
             "pages": sum(1 for p in c.pages if p.status == 200),
             "documents_ok": sum(1 for d in c.documents.values() if d.ok)}
            for c, seconds in done
        ],
        "peak_rss_mb": peak_rss_mb(),
        "browser_peak_rss_mb": browser_memory.peak_mb,
        "settings": {name: getattr(settings, name) for name in (
            "render_pages", "render_max_pages", "render_timeout", "render_max_requests",
            "host_delay", "max_pages")},
    }
    with open(args.out, "w") as fh:
        json.dump(result, fh)
    return 0


if __name__ == "__main__":
    sys.exit(main())
