from datetime import UTC, datetime, timedelta

from core.clock import local_now, local_today
from core.settings import load_settings


def test_now_and_today_follow_the_schedule_time_zone():
    jakarta = load_settings(env={})
    kiritimati = load_settings(env={"PANTAU_SCHEDULE_TIMEZONE": "Pacific/Kiritimati"})  # UTC+14
    utc_now = datetime.now(UTC)
    assert abs(local_now(jakarta) - utc_now) < timedelta(minutes=1)  # the same instant
    assert local_now(jakarta).utcoffset() == timedelta(hours=7)
    assert local_now(kiritimati).utcoffset() == timedelta(hours=14)
    assert local_today(kiritimati) == (utc_now + timedelta(hours=14)).date()
