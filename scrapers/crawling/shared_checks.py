"""Answers of off-site publication hosts shared by the sites of one run.

Nearly every PPID site links the same few off-site pages (SP4N-LAPOR!, the region's JDIH,
Satu Data). Each link is verified (``documents.verify_host_link``), and one host takes one
request at a time under its politeness delay (``politeness.HostThrottle``): at national scale
30,000 sites asking ``https://www.lapor.go.id/`` queue behind each other on that one host, and
the host gets 30,000 identical requests per run. ``SharedChecks`` asks each such URL once per
run in this process: the first site to need it fetches it, sites that need it meanwhile wait
for that answer, later ones reuse it. Each site gets its own copy of the check.

An answer is shared only between sites that would have asked the same way: same URL, same TLS
verification, same address classes allowed (``guard.AddressGuard.allowed``). A fetch that
ends without an answer (the fetching site's time ran out) is not shared: the next site asks
again. ``for_run(key)`` keeps one ``SharedChecks`` per process for the run named ``key`` (a
Dask worker serves batches of several runs over its life; an older run's answers are dropped).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from concurrent.futures import Future
from dataclasses import replace

from scrapers.model import DocumentCheck


class SharedChecks:
    """One run's off-site host answers in this process (see the module docstring)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._answers: dict[Hashable, Future] = {}
        self.fetches = 0
        """Fetches made (the rest of the answers were shared)."""

    def answer(self, key: Hashable, fetch: Callable[[], DocumentCheck]) -> DocumentCheck:
        """The check of ``key`` (URL and the way it is asked): fetched by ``fetch()`` once,
        shared afterwards. An exception of ``fetch`` reaches its caller only; a site waiting
        for that fetch then fetches itself."""
        while True:
            with self._lock:
                future = self._answers.get(key)
                mine = future is None
                if mine:
                    future = self._answers[key] = Future()
                    self.fetches += 1
            if mine:
                return self._fetch(key, future, fetch)
            try:
                return replace(future.result())
            except _NoAnswer:
                continue

    def _fetch(self, key: Hashable, future: Future,
               fetch: Callable[[], DocumentCheck]) -> DocumentCheck:
        try:
            check = fetch()
        except BaseException:
            with self._lock:
                self._answers.pop(key, None)
            future.set_exception(_NoAnswer())
            raise
        future.set_result(check)
        return replace(check)


class _NoAnswer(Exception):
    """The fetch a site waited for ended without an answer (its own site's time ran out)."""


_RUN: dict[str, SharedChecks] = {}
_RUN_LOCK = threading.Lock()


def for_run(key: str) -> SharedChecks:
    """This process's shared checks of the run ``key`` (another run's are dropped)."""
    with _RUN_LOCK:
        checks = _RUN.get(key)
        if checks is None:
            _RUN.clear()
            checks = _RUN[key] = SharedChecks()
        return checks
