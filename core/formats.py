"""How numbers, dates and times are written for people: Indonesian, one labelled time zone.

Every user-facing number, date and time (dashboard, reports, e-mails, CLI) goes through
these functions: comma decimals (``72,7``), Indonesian month names (``2 Desember 2026``),
times shown in ``schedule.timezone`` with the zone written (``09.00 WIB``), and ``—`` for a
value that is not known (never ``None`` or ``nan``).
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

DASH = "—"
"""Shown for a value that is not known."""

MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
          "September", "Oktober", "November", "Desember")
MONTHS_SHORT = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov",
                "Des")

DEFAULT_ZONE = "Asia/Jakarta"
ZONE_NAMES = {
    "Asia/Jakarta": "WIB", "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA", "Asia/Ujung_Pandang": "WITA",
    "Asia/Jayapura": "WIT",
    "UTC": "UTC", "Etc/UTC": "UTC",
}
"""Indonesia's own names of its zones; any other zone is written by its IANA name."""


def unknown(value: object) -> bool:
    """None, NaN, pandas NA/NaT: a value that is not known."""
    if value is None or type(value).__name__ in ("NAType", "NaTType"):
        return True
    try:
        return bool(value != value)  # NaN, NaT and pd.NA are not equal to themselves
    except (TypeError, ValueError):
        return False


def number(value: object, digits: int = 1) -> str:
    """``72,7``: comma decimals, dot thousands (``1.234,5``); ``—`` when unknown."""
    if unknown(value):
        return DASH
    amount = float(value)
    if math.isinf(amount):
        return DASH
    text = f"{amount:,.{digits}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def signed(value: object, digits: int = 1) -> str:
    """``+3,2`` / ``−1,0`` / ``0,0``; ``—`` when unknown."""
    if unknown(value):
        return DASH
    amount = round(float(value), digits)
    if amount > 0:
        return "+" + number(amount, digits)
    if amount < 0:
        return "−" + number(-amount, digits)
    return number(0, digits)


def zone(name: str | None = None) -> ZoneInfo:
    """The display zone (``schedule.timezone``; WIB when not given)."""
    return ZoneInfo(name or DEFAULT_ZONE)


def zone_label(name: str | None = None) -> str:
    """``WIB`` for Asia/Jakarta, ``WITA``, ``WIT``; other zones by their IANA name."""
    key = name or DEFAULT_ZONE
    return ZONE_NAMES.get(key, key)


def local(value: object, tz: str | None = None) -> datetime | None:
    """A timestamp in the display zone. A naive value is taken as UTC (how the database
    hands back TIMESTAMPTZ values it has already normalised)."""
    if unknown(value):
        return None
    if hasattr(value, "to_pydatetime"):  # pandas Timestamp
        value = value.to_pydatetime()
    if isinstance(value, datetime):
        stamp = value if value.tzinfo else value.replace(tzinfo=UTC)
        return stamp.astimezone(zone(tz))
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=zone(tz))
    raise TypeError(f"not a timestamp: {value!r}")


def day(value: object, tz: str | None = None, *, short: bool = False) -> str:
    """``2 Desember 2026`` (``2 Des 2026`` with ``short``); ``—`` when unknown."""
    if isinstance(value, date) and not isinstance(value, datetime):
        stamp: date | None = value
    else:
        stamp = local(value, tz)
    if stamp is None:
        return DASH
    months = MONTHS_SHORT if short else MONTHS
    return f"{stamp.day} {months[stamp.month - 1]} {stamp.year}"


def moment(value: object, tz: str | None = None, *, short: bool = True) -> str:
    """``2 Des 2026 09.00 WIB``: date, time and the zone written; ``—`` when unknown."""
    stamp = local(value, tz)
    if stamp is None:
        return DASH
    return f"{day(stamp, tz, short=short)} {stamp:%H.%M} {zone_label(tz)}"


def text(value: object) -> str:
    """A value as text for a table cell; ``—`` when unknown or empty."""
    if unknown(value):
        return DASH
    shown = str(value).strip()
    return shown or DASH
