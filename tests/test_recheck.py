"""Re-checking old evidence later in a run, against a real loopback server."""

from __future__ import annotations

from core.settings import load_settings
from scrapers.crawling.recheck import recheck
from tests.loopback import LoopbackServer, Reply, html

PDF = Reply(200, b"%PDF-1.4\n" + b"0" * 3000, content_type="application/pdf")
CRAWL = load_settings(env={}).crawl.__class__(host_delay=0.0, retries=0, connect_timeout=3,
                                              read_timeout=3, page_timeout=5)


def test_documents_and_pages_are_asked_again_and_failures_keep_their_reason():
    routes = {"/files/dip.pdf": PDF, "/files/gone.pdf": html("<h1>Not Found</h1>", status=404),
              "/ppid": html("<h1>PPID</h1>"), "/down": html("<h1>503</h1>", status=503),
              "/files/soft404.pdf": html("<h1>Halaman tidak ditemukan</h1>")}
    with LoopbackServer(routes) as server:
        urls = [server.url(p) for p in routes] + [LoopbackServer.refused_url("/files/x.pdf")]
        checks = recheck(urls + urls[:1], CRAWL, start_url=server.url("/"))
        asked = server.paths()
    assert [checks[u].ok for u in urls] == [True, False, True, False, False, False]
    assert checks[urls[1]].status == 404 and checks[urls[3]].reason == "http 503"
    assert checks[urls[4]].reason.startswith("html instead of")
    assert checks[urls[5]].status is None and checks[urls[5]].reason
    assert asked.count("/files/dip.pdf") == 1  # each URL once
