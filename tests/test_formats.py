"""Indonesian numbers, dates and times with their zone written."""

from datetime import UTC, date, datetime

import pandas as pd

from core import formats


def test_numbers_use_a_decimal_comma_and_a_dash_when_unknown():
    assert formats.number(72.65) == "72,7"
    assert formats.number(1234.5) == "1.234,5"
    assert formats.number(None) == formats.number(float("nan")) == formats.number(pd.NA) == "—"
    assert formats.signed(3.24) == "+3,2" and formats.signed(-1) == "−1,0"
    assert formats.signed(0.0) == "0,0" and formats.signed(None) == "—"


def test_times_are_shown_in_the_schedule_zone_with_its_name():
    moment = datetime(2026, 11, 1, 19, 5, tzinfo=UTC)
    assert formats.moment(moment) == "2 Nov 2026 02.05 WIB"
    assert formats.moment(moment, "Asia/Makassar") == "2 Nov 2026 03.05 WITA"
    assert formats.moment(moment, "Asia/Jayapura", short=False) == "2 November 2026 04.05 WIT"
    assert formats.moment(pd.Timestamp(moment)) == "2 Nov 2026 02.05 WIB"
    assert formats.moment(None) == formats.moment(pd.NaT) == "—"
    assert formats.day(date(2026, 12, 1)) == "1 Desember 2026"
    assert formats.text(None) == formats.text("  ") == "—"
