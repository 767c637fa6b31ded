"""Agencies grouped into crawl tasks: a few dozen per Prefect task, those on one host together.

Each Prefect task run costs the flow a few milliseconds (state changes, events, logs) however
small the site; at national scale that is more than crawling a small site. So the flow gives
each task a batch of agencies, crawled one after another with each agency's own retries and
timeout (``flows.crawl.check_agency``). Agencies on one host (``host:port``) always share a
batch: their per-host delay is kept by one crawler process, also when the batches run on
Dask workers on different machines.

A batch holds at most ``schedule.agencies_per_task`` agencies (a host with more stays whole),
and fewer when the registry is small, so that every slot of the task runner gets several
batches to work on (a city of 20 agencies still gets one agency per task).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from urllib.parse import urlsplit

from core.registry import Agency


class Parcel:
    """A task argument passed as it is: Prefect (and prefect-dask) walk lists, dicts and
    dataclasses of every argument looking for futures, which for a batch's HTTP caches means
    every page and link; an object of this class is opaque to them. (``prefect.quote`` does
    the same on threads but does not survive the Dask runner.)"""

    __slots__ = ("value",)

    def __init__(self, value) -> None:
        self.value = value

    def __getstate__(self):
        return self.value

    def __setstate__(self, value) -> None:
        self.value = value


def opened(value):
    """The value inside a ``Parcel`` (or the value itself)."""
    return value.value if isinstance(value, Parcel) else value


def runner_done(future) -> bool:
    """Whether the task runner (Dask, a thread pool) holds a task's outcome: asked of the
    runner's own future (a Prefect future's ``wrapped_future``), so it neither waits nor calls
    the Prefect API. False for a future without one."""
    wrapped = getattr(future, "wrapped_future", None)
    return bool(wrapped is not None and wrapped.done())


BATCHES_PER_SLOT = 4
"""Batches per slot of the task runner, at least: keeps the slots busy until the end."""


def host_key(url: str) -> str:
    """``host:port`` of a site (lower case); the URL itself when it has no host."""
    try:
        parts = urlsplit(url)
        return parts.netloc.lower().rsplit("@", 1)[-1] or url
    except ValueError:
        return url


def batch_size(agencies: int, slots: int, most: int) -> int:
    """Agencies per task: ``most``, or fewer so that each slot gets ``BATCHES_PER_SLOT``."""
    if agencies <= 0:
        return 1
    return max(1, min(most, math.ceil(agencies / (max(1, slots) * BATCHES_PER_SLOT))))


def plan_batches(agencies: Sequence[Agency], slots: int, most: int) -> list[list[Agency]]:
    """The registry cut into batches in registry order, agencies of one host together."""
    by_host: dict[str, list[Agency]] = {}
    for agency in agencies:
        by_host.setdefault(host_key(agency.url), []).append(agency)
    size = batch_size(len(agencies), slots, most)
    batches: list[list[Agency]] = []
    current: list[Agency] = []
    for group in by_host.values():
        if current and len(current) + len(group) > size:
            batches.append(current)
            current = []
        current = current + group
    if current:
        batches.append(current)
    return batches
