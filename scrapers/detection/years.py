"""Years a document belongs to, read from its link text, file name and context (pure).

Rules:

* a year is a four-digit number from 2000 to ``today.year + 1`` not glued to other digits
  (``NIP 198503122010011001`` holds no year; ``LKjIP2023`` holds 2023);
* a range ("2021-2026", "2021 s.d. 2026", "2021 s/d 2026", "2021–2026", "2021 sampai 2026")
  counts as its end year: a Renstra 2021–2026 is current until 2026;
* a compact date ``20230512`` in a file name counts as its year;
* phone numbers ("(0343) 421 2021", "0812-2021-3344", "+62 21 2021 555") are removed first;
* "Semester I 2024" / "Semester 2 2024" give the half year.

Freshness by period (:func:`is_current`): a document covers a period — a bare year "Tahun Y"
the whole year Y (January–December), "Semester I Y" January–June, "Semester II Y"
July–December, a plan range "2021–2026" up to December 2026. A freshness rule (checklist
data) names the reporting period (12 or 6 months, aligned to the calendar year) and how many
months after a period ends its publication is due. The newest evidence is current when it
covers at least the last period whose publication is already due: with a 12-month period due
3 months later (Perki 1/2021's annual information-service report), on 1 December of Y+1 the
report for Y is current, and it stays current until 31 March of Y+2.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

MIN_YEAR = 2000

_PHONE = re.compile(
    r"(?:\+62|\(0\d{2,4}\)|\b0\d{2,4})[\s.-]?\d{2,4}[\s.-]?\d{3,4}(?:[\s.-]?\d{2,4})?(?!\d)"
)
_YEAR = r"(?<!\d)((?:19|20)\d\d)(?!\d)"
_RANGE = re.compile(
    r"(?<!\d)((?:19|20)\d\d)\s*(?:-|–|—|/|s\.?\s?d\.?|s/d|sd|sampai(?: dengan)?|hingga|to)\s*"
    r"((?:19|20)\d\d)(?!\d)",
    re.IGNORECASE,
)
_SINGLE = re.compile(_YEAR)
_COMPACT_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?!\d)")
_SEMESTER = re.compile(
    r"semester\s*(i{1,2}|1|2|satu|dua|pertama|kedua|ganjil|genap)\b[^0-9]{0,20}?((?:19|20)\d\d)(?!\d)",
    re.IGNORECASE,
)
_FIRST_HALF = {"i", "1", "satu", "pertama", "ganjil"}
MAX_RANGE_SPAN = 10
"""A "range" wider than this is two unrelated years ("2004/2023"), not a plan period."""


def plausible(year: int, today: date) -> bool:
    """A year a publication can be about: from MIN_YEAR up to next year."""
    return MIN_YEAR <= year <= today.year + 1


def _without_phones(text: str) -> str:
    return _PHONE.sub(" ", text)


def years_in(text: str, today: date) -> list[int]:
    """Every plausible year a text names, a range giving its end year (see the module doc)."""
    if not text:
        return []
    text = _without_phones(text)
    found: list[int] = []

    def take_range(match: re.Match) -> str:
        start, end = int(match.group(1)), int(match.group(2))
        if 0 < end - start <= MAX_RANGE_SPAN:
            found.append(end)
            return " "
        return f" {match.group(1)} {match.group(2)} "  # not a period: two separate years

    text = _RANGE.sub(take_range, text)
    text = _COMPACT_DATE.sub(lambda m: f" {m.group(1)} ", text)
    found.extend(int(m.group(1)) for m in _SINGLE.finditer(text))
    return [year for year in found if plausible(year, today)]


def newest_year(text: str, today: date) -> int | None:
    """The newest plausible year named in ``text``, or None."""
    years = years_in(text, today)
    return max(years) if years else None


@dataclass(frozen=True, order=True)
class Period:
    """The half year a document covers at the latest: (year, 1) for January–June, (year, 2) after."""

    year: int
    half: int

    @property
    def end_month(self) -> int:
        """Months since year 0 at the period's end (June or December)."""
        return self.year * 12 + (6 if self.half == 1 else 12)


def semester_period(text: str, today: date) -> Period | None:
    """The newest "Semester I/II YEAR" named in a text, or None."""
    periods = []
    for match in _SEMESTER.finditer(text or ""):
        year = int(match.group(2))
        if plausible(year, today):
            half = 1 if match.group(1).lower() in _FIRST_HALF else 2
            periods.append(Period(year, half))
    return max(periods) if periods else None


def covered_until(year: int, period: Period | None) -> int:
    """Months since year 0 at the end of what a document of ``year`` (and half year) covers.

    A bare year covers the whole year; a half year named for the same year covers only that
    half ("Semester I 2026" ends in June 2026); a newer bare year wins over an older half year.
    """
    if period is not None and period.year >= year:
        return period.end_month
    return year * 12 + 12


def last_due_period_end(period_months: int, due_months: int, today: date) -> int:
    """Months since year 0 at the end of the newest reporting period whose publication is due
    by ``today``: periods of ``period_months`` aligned to January, each due at the end of the
    month ``due_months`` after it ends (0: due as soon as it is over)."""
    this_month = today.year * 12 + today.month
    return ((this_month - due_months - 1) // period_months) * period_months


def is_current(covered_end: int, period_months: int, due_months: int, today: date) -> bool:
    """Whether evidence covering up to ``covered_end`` (see :func:`covered_until`) satisfies a
    rule of ``period_months`` due ``due_months`` after each period ends."""
    return covered_end >= last_due_period_end(period_months, due_months, today)


def oldest_current_year(period_months: int, due_months: int, today: date) -> int:
    """The oldest year whose whole-year document is still current under a rule (reminders
    say "the document of year N is expected")."""
    end = last_due_period_end(period_months, due_months, today)
    return (end - 1) // 12
