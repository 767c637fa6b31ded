"""Progress of a crawl run for whoever started it: one line per agency as its result is in.

The flow calls ``agency_done`` for each agency; the command line installs a reporter with
``reporting(fn)`` (a context manager) to print ``[3/22] dinkes: 48 halaman, 15 dokumen,
skor 72,7``. Nothing is reported when no reporter is installed (scheduled runs)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from core import formats
from core.vocabulary import UNREACHABLE_WORD
from warehouse.load import AgencySummary


@dataclass(frozen=True)
class AgencyProgress:
    """One agency's result as the command line shows it."""

    position: int
    total: int
    agency_id: str
    name: str
    pages: int
    documents: int
    score: float | None
    error: str | None

    def line(self) -> str:
        """``[3/22] dinkes: 48 halaman, 15 dokumen, skor 72,7`` (or the reason it failed)."""
        head = f"[{self.position}/{self.total}] {self.agency_id}: "
        if self.score is None:
            return head + f"{UNREACHABLE_WORD} ({formats.text(self.error)})"
        return head + (f"{self.pages} halaman, {self.documents} dokumen, "
                       f"skor {formats.number(self.score)}")


_reporters: list[Callable[[AgencyProgress], None]] = []


@contextmanager
def reporting(reporter: Callable[[AgencyProgress], None]) -> Iterator[None]:
    """Call ``reporter`` for every agency finished while the block runs."""
    _reporters.append(reporter)
    try:
        yield
    finally:
        _reporters.remove(reporter)


def progress_of(agency: AgencySummary, position: int, total: int) -> AgencyProgress:
    """What the line says about one agency's result (its score as the warehouse stores it)."""
    return AgencyProgress(
        position=position, total=total, agency_id=agency.agency_id, name=agency.name,
        pages=agency.pages, documents=agency.documents,
        score=agency.score if agency.reachable else None, error=agency.error)


def agency_done(agency: AgencySummary, position: int, total: int) -> None:
    """Tell the installed reporters (if any) that this agency is done."""
    if not _reporters:
        return
    shown = progress_of(agency, position, total)
    for reporter in list(_reporters):
        reporter(shown)
