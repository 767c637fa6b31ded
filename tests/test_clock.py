from datetime import UTC, date, datetime, timedelta

from core.clock import in_schedule_zone, local_now, local_today
from core.settings import load_settings


def test_now_and_today_follow_the_schedule_time_zone():
    jakarta = load_settings(env={})
    kiritimati = load_settings(env={"PANTAU_SCHEDULE_TIMEZONE": "Pacific/Kiritimati"})  # UTC+14
    utc_now = datetime.now(UTC)
    assert abs(local_now(jakarta) - utc_now) < timedelta(minutes=1)  # the same instant
    assert local_now(jakarta).utcoffset() == timedelta(hours=7)
    assert local_now(kiritimati).utcoffset() == timedelta(hours=14)
    assert local_today(kiritimati) == (utc_now + timedelta(hours=14)).date()


def test_a_stored_time_is_read_in_the_schedule_zone():
    settings = load_settings(env={})
    late = in_schedule_zone(settings, datetime(2026, 11, 21, 20, tzinfo=UTC))
    assert (late.date(), late.hour, late.utcoffset().total_seconds()) == (date(2026, 11, 22), 3, 7 * 3600)
    naive = datetime(2026, 11, 21, 20)
    assert in_schedule_zone(settings, naive) is naive
    assert in_schedule_zone(settings, date(2026, 11, 21)) == date(2026, 11, 21)
    assert in_schedule_zone(settings, None) is None
