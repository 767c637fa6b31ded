"""The printable HTML reports: escaped text, headers that repeat when printed, safe links."""

from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest

from tests import dashboard_fixture as fx
from warehouse import db
from warehouse.reports import content, html

NOW = datetime(2026, 11, 3, 1, 30, tzinfo=UTC)


class Parsed(HTMLParser):
    def __init__(self, page: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    return fx.build(tmp_path_factory.mktemp("html") / "city.duckdb")


def test_city_page_is_escaped_dated_and_prints_headers(city):
    with db.read_only(city.path) as con:
        page = html.city_html(content.city_report(con, now=NOW))
    parsed = Parsed(page)
    assert not [t for t, _ in parsed.tags if t in ("script", "img", "iframe")]
    assert fx.SCRIPT in "".join(parsed.text)  # shown as text
    assert "thead { display: table-header-group; }" in page
    assert sum(1 for t, _ in parsed.tags if t == "thead") >= 4
    assert "dibuat 3 November 2026 08.30 WIB" in page
    for category in city.cats:
        assert category.name in "".join(parsed.text)  # the matrix axis names every category


def test_agency_page_links_only_http(city):
    with db.read_only(city.path) as con:
        page = html.agency_html(content.agency_report(con, fx.XSS.id, now=NOW))
    links = [a["href"] for t, a in Parsed(page).tags if t == "a"]
    assert links and all(h.startswith("http://") for h in links)
    assert "javascript:" not in " ".join(links)
