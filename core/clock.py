"""The one clock of Pantau PPID: now and today in the schedule's time zone.

A run's "today" (which reporting period a document counts for), a reminder's send time and
the dates in messages all follow ``schedule.timezone`` (WIB by default), not the machine's zone.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from core.settings import Settings


def local_now(settings: Settings) -> datetime:
    """Now, in ``schedule.timezone``, with its zone (the warehouse stores TIMESTAMPTZ)."""
    return datetime.now(ZoneInfo(settings.schedule.timezone))


def local_today(settings: Settings) -> date:
    """Today's date in ``schedule.timezone``."""
    return local_now(settings).date()


def in_schedule_zone(settings: Settings, value):
    """A stored aware time in ``schedule.timezone``, so its date is the date "today" counts in
    (a crawl at 20:00 UTC is the next day in WIB); dates, naive times and None pass unchanged."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(ZoneInfo(settings.schedule.timezone))
    return value
