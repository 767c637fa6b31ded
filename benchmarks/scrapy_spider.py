"""Child process: a Scrapy spider doing Pantau's job over a generated world.

``python -m benchmarks.scrapy_spider WORLD_JSON OUT_JSON [--concurrency N] [--host-delay D]``

The same job as ``crawl_site``: from each site's start URL, follow same-site links (depth
limit 5, robots.txt obeyed), keep each page's title, headings and links with their text, and
verify each linked document with one ranged GET of its first 2048 bytes (a PDF starts with
``%PDF-``). Settings are Scrapy's own advice for broad crawls (``DownloaderAwarePriorityQueue``,
breadth-first FIFO queues, cookies and retries as in Pantau) with ``CONCURRENT_REQUESTS`` =
``--concurrency`` and ``CONCURRENT_REQUESTS_PER_DOMAIN = 1``, ``DOWNLOAD_DELAY`` =
``--host-delay``. The timer covers the crawl only (engine start to close), not imports.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from urllib.parse import urlsplit

from benchmarks.common import peak_rss_mb

DOC_SUFFIXES = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".zip", ".rar",
                ".odt", ".ods", ".csv")
PROBE_BYTES = 2048


def build_spider(sites: list[str]):
    import scrapy
    from scrapy.linkextractors import LinkExtractor

    class PpidSpider(scrapy.Spider):
        name = "ppid"
        custom_settings: dict = {}

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.links = LinkExtractor(deny_extensions=[], unique=True)
            self.pages = 0
            self.documents = 0
            self.documents_ok = 0
            self.items = 0

        async def start(self):
            for url in sites:
                yield scrapy.Request(url, callback=self.parse)

        def start_requests(self):  # Scrapy < 2.13
            for url in sites:
                yield scrapy.Request(url, callback=self.parse)

        def parse(self, response):
            if not hasattr(response, "xpath"):
                return
            self.pages += 1
            here = urlsplit(response.url).netloc
            page = {
                "url": response.url,
                "title": response.xpath("normalize-space(//title)").get(),
                "headings": [h.strip() for h in response.xpath("//h1//text()|//h2//text()|"
                                                             "//h3//text()").getall() if h.strip()],
                "links": [],
            }
            for link in self.links.extract_links(response):
                page["links"].append((link.url, link.text))
                if urlsplit(link.url).netloc != here:
                    continue
                if link.url.lower().endswith(DOC_SUFFIXES):
                    yield scrapy.Request(link.url, callback=self.check_document,
                                         headers={"Range": f"bytes=0-{PROBE_BYTES - 1}"},
                                         meta={"handle_httpstatus_all": True})
                else:
                    yield response.follow(link.url, callback=self.parse)
            self.items += 1

        def check_document(self, response):
            self.documents += 1
            if response.status in (200, 206) and response.body[:5] == b"%PDF-":
                self.documents_ok += 1

    return PpidSpider


def settings_for(concurrency: int, host_delay: float) -> dict:
    from scrapy.settings.default_settings import __dict__ as defaults

    jitter = ({"DOWNLOAD_DELAY_JITTER": 0} if "DOWNLOAD_DELAY_JITTER" in defaults
              else {"RANDOMIZE_DOWNLOAD_DELAY": False})  # the delay is exact, as Pantau's
    return {**jitter,
        "CONCURRENT_REQUESTS": concurrency,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
        "CONCURRENT_REQUESTS_PER_IP": 0,
        "DOWNLOAD_DELAY": host_delay,
        "ROBOTSTXT_OBEY": True,
        "DEPTH_LIMIT": 5,
        "DEPTH_PRIORITY": 1,
        "SCHEDULER_DISK_QUEUE": "scrapy.squeues.PickleFifoDiskQueue",
        "SCHEDULER_MEMORY_QUEUE": "scrapy.squeues.FifoMemoryQueue",
        "SCHEDULER_PRIORITY_QUEUE": "scrapy.pqueues.DownloaderAwarePriorityQueue",
        "AUTOTHROTTLE_ENABLED": False,
        "COOKIES_ENABLED": True,
        "RETRY_TIMES": 2,
        "REDIRECT_MAX_TIMES": 5,
        "DOWNLOAD_TIMEOUT": 30,
        "LOG_LEVEL": "WARNING",
        "TELNETCONSOLE_ENABLED": False,
        "USER_AGENT": "PantauPPID-bench-scrapy/0.1",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("world")
    parser.add_argument("out")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--host-delay", type=float, default=0.0)
    args = parser.parse_args(argv)

    import scrapy
    from scrapy.crawler import CrawlerProcess

    from benchmarks.world import World

    world = World.load(args.world)
    spider_cls = build_spider([s.url for s in world.sites])
    settings = settings_for(args.concurrency, args.host_delay)
    process = CrawlerProcess(settings=settings)
    crawler = process.create_crawler(spider_cls)
    times: dict[str, float] = {}

    def opened(spider):
        times["start"] = time.perf_counter()

    def closed(spider, reason):
        times["end"] = time.perf_counter()
        times["reason"] = reason

    from scrapy import signals

    crawler.signals.connect(opened, signal=signals.spider_opened)
    crawler.signals.connect(closed, signal=signals.spider_closed)
    process.crawl(crawler)
    process.start()
    spider = crawler.spider
    stats = crawler.stats.get_stats()
    result = {
        "crawler": "scrapy",
        "scrapy": scrapy.__version__,
        "elapsed": times["end"] - times["start"],
        "pages": spider.pages,
        "documents": spider.documents,
        "documents_ok": spider.documents_ok,
        "requests": stats.get("downloader/request_count", 0),
        "body_bytes": stats.get("downloader/response_bytes", 0),
        "reason": times.get("reason"),
        "robots_forbidden": stats.get("robotstxt/forbidden", 0),
        "peak_rss_mb": peak_rss_mb(),
    }
    with open(args.out, "w") as fh:
        json.dump(result, fh)
    return 0


if __name__ == "__main__":
    sys.exit(main())
