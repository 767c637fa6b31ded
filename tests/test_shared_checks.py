"""The sites of a run share the answers of off-site publication hosts (LAPOR!, JDIH …)."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

import pytest

from scrapers.crawling.crawler import crawl_site
from scrapers.crawling.politeness import BudgetExceeded, HostThrottle
from scrapers.crawling.shared_checks import SharedChecks, for_run
from scrapers.detection.hosts import HostRule
from scrapers.model import DocumentCheck
from tests.loopback import LoopbackServer, html
from tests.test_crawler import FAST

RULES = (HostRule("lapor", paths=(r"^/lapor/",), any_host=True),)


def check(url: str = "https://www.lapor.go.id/") -> DocumentCheck:
    return DocumentCheck(url=url, ok=True, status=200, checked_at=datetime.now(UTC))


def test_one_fetch_however_many_sites_ask_at_once_each_gets_its_own_copy():
    shared, calls, answers = SharedChecks(), [], []

    def fetch():
        calls.append(1)
        time.sleep(0.2)  # the others arrive while it is under way
        return check()

    threads = [threading.Thread(target=lambda: answers.append(shared.answer("k", fetch)))
               for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1 and shared.fetches == 1
    assert len(answers) == 8 and all(a == answers[0] for a in answers)
    assert len({id(a) for a in answers}) == 8  # a site may change its copy


def test_a_fetch_that_ends_without_an_answer_is_not_shared():
    shared = SharedChecks()

    def out_of_time():
        raise BudgetExceeded("site time is up")

    with pytest.raises(BudgetExceeded):
        shared.answer("k", out_of_time)
    assert shared.answer("k", check).ok  # the next site asks again
    assert shared.fetches == 2


def test_each_run_has_its_own_answers():
    first = for_run("run-1")
    assert for_run("run-1") is first
    second = for_run("run-2")
    assert second is not first and for_run("run-2") is second


def test_two_sites_of_a_run_ask_the_shared_host_once():
    host = LoopbackServer({"/lapor/": html("<title>SP4N-LAPOR!</title>")})
    with host:
        page = html(f"<a href='{host.url('/lapor/')}'>SP4N-LAPOR!</a>")
        with LoopbackServer({"/": page}) as a, LoopbackServer({"/": page}) as b:
            shared = SharedChecks()
            crawls = [crawl_site(site.url("/"), FAST, hosts=RULES, throttle=HostThrottle(),
                                 shared_checks=shared) for site in (a, b)]
            assert len(host.requests_to("/lapor/")) == 1
            for site in (a, b):  # without sharing, every site asks
                crawl_site(site.url("/"), FAST, hosts=RULES, throttle=HostThrottle())
            assert len(host.requests_to("/lapor/")) == 3
    for crawl in crawls:
        assert crawl.documents[host.url("/lapor/")].ok
