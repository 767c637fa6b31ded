"""Pages generated per request: an endless news archive and an endless month calendar.

They are crawler traps on purpose (``/arsip?page=N`` always links ``page=N+1``, each month of
``/agenda/YYYY/MM`` links the next one), so the crawl limits get exercised while the site's
real categories stay a few hops from its start page. Their HTML comes from templates in the
site folder (``{{YEAR}}`` placeholders first, then ``$name`` fields from here).
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from html import escape
from string import Template
from urllib.parse import parse_qs

MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
AGENDA_PATH = re.compile(r"^/(\d{4})/(\d{2})$")


def _page_number(query: str) -> int | None:
    values = parse_qs(query).get("page", ["1"])
    try:
        number = int(values[0])
    except ValueError:
        return None
    return number if number >= 1 else None


def archive_page(
    template: str, titles: list[str], path: str, query: str, today: date
) -> str | None:
    """Page N of the news archive: ten items, and a link to page N+1 (always)."""
    number = _page_number(query)
    if number is None:
        return None
    items = []
    for i in range(10):
        item = (number - 1) * 10 + i + 1
        title = titles[item % len(titles)]
        items.append(
            f'<li><a href="{path}/baca?id={item}">{escape(title)}</a> '
            f'<span class="tanggal">{_item_date(today, item)}</span></li>'
        )
    previous = f'<a href="{path}?page={number - 1}">« Sebelumnya</a>' if number > 1 else ""
    return Template(template).safe_substitute(
        page=number,
        items="\n".join(items),
        previous=previous,
        next=f'<a href="{path}?page={number + 1}">Selanjutnya »</a>',
    )


def _item_date(today: date, item: int) -> str:
    """Older items further down the archive: three days apart."""
    day = today - timedelta(days=3 * item)
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def archive_article(template: str, titles: list[str], query: str, today: date) -> str | None:
    """One page of the endless news archive (the crawler-trap site), or None for a bad id."""
    values = parse_qs(query).get("id", [""])
    if not values[0].isdigit():
        return None
    item = int(values[0])
    return Template(template).safe_substitute(
        id=item, title=escape(titles[item % len(titles)]), date=_item_date(today, item)
    )


def agenda_month(template: str, entries: list[str], prefix: str, rest: str) -> str | None:
    """The calendar page of one month, linking the month before and the month after."""
    match = AGENDA_PATH.match(rest)
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        return None
    next_year, next_month = (year + 1, 1) if month == 12 else (year, month + 1)
    prev_year, prev_month = (year - 1, 12) if month == 1 else (year, month - 1)
    rows = []
    for line in entries:
        day, _, text = line.partition("|")
        rows.append(
            f"<tr><td>{int(day)} {MONTHS[month - 1]} {year}</td><td>{escape(text.strip())}</td></tr>"
        )
    return Template(template).safe_substitute(
        year=year,
        month_name=MONTHS[month - 1],
        rows="\n".join(rows),
        next=f'<a href="{prefix}{next_year}/{next_month:02d}">{MONTHS[next_month - 1]} {next_year} »</a>',
        previous=f'<a href="{prefix}{prev_year}/{prev_month:02d}">« {MONTHS[prev_month - 1]} {prev_year}</a>',
    )
