"""Every schedule in one place: when the weekly pipeline runs.

The crawl runs on ``schedule.crawl_cron`` (default Monday 02:00) in ``schedule.timezone``
(default Asia/Jakarta); the reminders run right after it, as the second step of the same
pipeline flow, so they always see the run that just finished.
"""

from __future__ import annotations

from prefect.schedules import Cron, Schedule

from core.settings import ScheduleSettings


def crawl_schedule(schedule: ScheduleSettings) -> Schedule:
    """The weekly crawl's cron schedule, in ``schedule.timezone``."""
    return Cron(schedule.crawl_cron, timezone=schedule.timezone)
