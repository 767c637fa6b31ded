from datetime import UTC, datetime, timedelta

from core.clock import local_now, local_today
from core.settings import load_settings


def test_now_and_today_follow_the_schedule_time_zone():
    jakarta = load_settings(env={})
    samoa = load_settings(env={"PANTAU_SCHEDULE_TIMEZONE": "Pacific/Kiritimati"})  # UTC+14
    utc_now = datetime.now(UTC).replace(tzinfo=None)
    assert abs(local_now(jakarta) - (utc_now + timedelta(hours=7))) < timedelta(minutes=1)
    assert abs(local_now(samoa) - (utc_now + timedelta(hours=14))) < timedelta(minutes=1)
    assert local_now(jakarta).tzinfo is None
    assert local_today(samoa) == local_now(samoa).date()
