"""Years from link text, file names and context."""

from datetime import date

import pytest

from scrapers.detection.years import Period, newest_year, semester_period, years_in

TODAY = date(2026, 3, 15)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("LKjIP 2023", [2023]),
        ("LKjIP2023.pdf", [2023]),
        ("lap_keu_2022_final", [2022]),
        ("Laporan Keuangan 2021 dan 2022", [2021, 2022]),
        ("Diunggah 12-05-2024", [2024]),
        ("20230512_lkjip.pdf", [2023]),
        ("Tidak ada tahun", []),
        ("", []),
    ],
)
def test_years_in_text_and_file_names(text, expected):
    assert years_in(text, TODAY) == expected


@pytest.mark.parametrize(
    "text",
    ["Renstra 2021-2026", "Renstra 2021 - 2026", "2021–2026", "2021 — 2026", "2021 s.d. 2026",
     "2021 s/d 2026", "2021 sd 2026", "2021 sampai 2026", "2021 sampai dengan 2026",
     "2021 hingga 2026", "Renstra_2021-2026.pdf"],
)
def test_a_range_counts_to_its_end_year(text):
    assert years_in(text, TODAY) == [2026]
    assert newest_year(text, TODAY) == 2026


def test_a_wide_span_is_two_years_not_a_range():
    assert years_in("2004/2023", TODAY) == [2004, 2023]


def test_a_reversed_range_is_two_years():
    assert sorted(years_in("2026-2021", TODAY)) == [2021, 2026]


@pytest.mark.parametrize("text", ["Tahun 1998", "2035", "Laporan 2028", "NIP 198503122010011001"])
def test_implausible_years_are_ignored(text):
    assert years_in(text, TODAY) == []


def test_next_year_is_plausible_the_one_after_is_not():
    assert years_in("DIP 2027", TODAY) == [2027]
    assert years_in("DIP 2028", TODAY) == []


@pytest.mark.parametrize(
    "text",
    ["Telp. (0343) 421 2021", "HP 0812-2021-3344", "+62 21 2021 555", "Fax 0343.2021.987",
     "WA 081220213344"],
)
def test_phone_numbers_hold_no_year(text):
    assert years_in(text, TODAY) == []


def test_phone_and_year_in_one_text():
    assert years_in("Laporan 2024, hubungi (0343) 421 2021", TODAY) == [2024]


def test_newest_year_of_none():
    assert newest_year("Profil Dinas", TODAY) is None


@pytest.mark.parametrize(
    "text, period",
    [
        ("Laporan Layanan Informasi Semester I 2025", Period(2025, 1)),
        ("Semester II Tahun 2025", Period(2025, 2)),
        ("semester 2 - 2024", Period(2024, 2)),
        ("Semester Genap 2025", Period(2025, 2)),
        ("Semester I 2024 dan Semester II 2024", Period(2024, 2)),
        ("Laporan Tahunan 2025", None),
    ],
)
def test_semester_periods(text, period):
    assert semester_period(text, TODAY) == period


def test_period_end_month():
    assert Period(2025, 1).end_month == 2025 * 12 + 6
    assert Period(2025, 2).end_month == 2025 * 12 + 12


# ---------------------------------------------------------------- freshness by period


def test_a_bare_year_covers_the_whole_year_and_a_half_year_only_its_half():
    from scrapers.detection.years import covered_until

    assert covered_until(2025, None) == 2025 * 12 + 12
    assert covered_until(2025, Period(2025, 1)) == 2025 * 12 + 6
    assert covered_until(2026, Period(2025, 2)) == 2026 * 12 + 12  # a newer year wins


@pytest.mark.parametrize(
    "today, period, due, oldest",
    [
        (date(2026, 12, 1), 12, 3, 2025),
        (date(2027, 3, 31), 12, 3, 2025),
        (date(2027, 4, 1), 12, 3, 2026),
        (date(2026, 12, 31), 12, 0, 2025),
        (date(2027, 1, 1), 12, 0, 2026),
        (date(2026, 7, 1), 6, 0, 2026),  # first half of 2026 over: a 2026 document is needed
        (date(2026, 6, 30), 6, 0, 2025),
    ],
)
def test_the_last_period_due_by_date(today, period, due, oldest):
    from scrapers.detection.years import covered_until, is_current, oldest_current_year

    assert oldest_current_year(period, due, today) == oldest
    assert is_current(covered_until(oldest, None), period, due, today)
    assert not is_current(covered_until(oldest - 1, None), period, due, today)
