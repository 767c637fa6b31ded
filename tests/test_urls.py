from datetime import date

import pytest

from scrapers.urls import (
    SiteScope,
    TrapGuard,
    calendar_year,
    host_of,
    is_http_url,
    max_segment_repeats,
    normalize_url,
    origin_of,
    strip_session_ids,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("HTTP://PPID.Kota.GO.ID:80/Dokumen", "http://ppid.kota.go.id/Dokumen"),
        ("https://ppid.kota.go.id:443", "https://ppid.kota.go.id/"),
        ("https://ppid.kota.go.id:8443/a", "https://ppid.kota.go.id:8443/a"),
        ("http://x.go.id/a#bagian-2", "http://x.go.id/a"),
        ("http://x.go.id/a?b=2&a=1", "http://x.go.id/a?b=2&a=1"),  # query order kept
        ("http://x.go.id/a?PHPSESSID=abc123&id=7", "http://x.go.id/a?id=7"),
        ("http://x.go.id/a;jsessionid=0AF3?x=1", "http://x.go.id/a?x=1"),
        ("http://x.go.id/a?sid=9", "http://x.go.id/a"),
        ("http://x.go.id/a?ASPSESSIONIDQQ=9&p=2", "http://x.go.id/a?p=2"),
        ("  http://x.go.id/a%20b  ", "http://x.go.id/a%20b"),
        ("http://x.go.id./a", "http://x.go.id/a"),
    ],
)
def test_normalize_url(raw, expected):
    assert normalize_url(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "javascript:void(0)",
        "mailto:ppid@kota.go.id",
        "tel:+62343123",
        "data:text/html,hi",
        "ftp://x.go.id/file",
        "/relative/path",
        "http://",
        "http://user:pw@x.go.id/",
        "http://x.go.id:99999/",
    ],
)
def test_unfetchable_urls_normalise_to_none(raw):
    assert normalize_url(raw) is None


def test_is_http_url():
    assert is_http_url("https://a.go.id/")
    assert not is_http_url("JavaScript:alert(1)")


def test_session_ids_untouched_query_keeps_its_bytes():
    assert strip_session_ids("a=1&b=%2F") == "a=1&b=%2F"
    assert strip_session_ids("a=1&PHPSESSID=x") == "a=1"


def test_host_and_origin():
    assert host_of("http://PPID.kota.go.id:8080/x") == "ppid.kota.go.id"
    assert origin_of("http://ppid.kota.go.id:8080/x?y") == "http://ppid.kota.go.id:8080"


def test_scope_treats_www_as_the_same_host_but_not_other_ports_or_schemes():
    scope = SiteScope.of("https://www.kota.go.id/ppid")
    assert scope.contains("https://kota.go.id/dokumen")
    assert scope.contains("https://www.kota.go.id:443/x")
    assert not scope.contains("http://kota.go.id/x")
    assert not scope.contains("https://kota.go.id:8443/x")
    assert not scope.contains("https://dinkes.kota.go.id/x")
    scope.add("http://kota.go.id/")
    assert scope.contains("http://www.kota.go.id/x")


def test_segment_repeats():
    assert max_segment_repeats("/ppid/ppid/ppid/index.php") == 3
    assert max_segment_repeats("/a/b/c") == 1
    assert max_segment_repeats("/") == 0


def test_calendar_year():
    assert calendar_year("http://x/agenda/2031/05/") == 2031
    assert calendar_year("http://x/event?month=1870-03") == 1870
    assert calendar_year("http://x/arsip?tahun=2024") == 2024
    assert calendar_year("http://x/dokumen/12345") is None


def guard(**kw):
    return TrapGuard(today=date(2025, 6, 1), **kw)


def test_query_variants_per_path_are_bounded():
    traps = guard(max_query_variants=3)
    admitted = [traps.admit(f"http://x/berita?page={n}") is None for n in range(10)]
    assert admitted == [True] * 3 + [False] * 7
    # A query already admitted stays admissible; another path has its own budget.
    assert traps.admit("http://x/berita?page=1") is None
    assert traps.admit("http://x/agenda?page=99") is None


def test_repeated_segments_and_length_and_calendar():
    traps = guard(max_path_segment_repeats=2, max_url_length=60)
    assert traps.admit("http://x/ppid/ppid/a") is None
    assert "repeated" in traps.admit("http://x/ppid/ppid/ppid/a")
    assert "longer" in traps.admit("http://x/" + "a" * 80)
    assert "calendar" in traps.admit("http://x/agenda/2091/01")
    assert "calendar" in traps.admit("http://x/agenda/1971/01")
    assert traps.admit("http://x/agenda/2026/01") is None
