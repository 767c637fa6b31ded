"""The records' JSON form (what the HTTP cache keeps) is their fields that differ from the
defaults, and reads back."""

import json
from dataclasses import asdict
from datetime import UTC, datetime

from scrapers.model import DocumentCheck, Link, Page


def test_a_page_and_a_document_check_round_trip_through_their_dicts():
    when = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)
    page = Page(url="http://a.test/", status=200, headings=["PPID"], fetched_at=when,
                links=[Link(url="http://a.test/lk.pdf", text="LKjIP 2025", in_nav=True)],
                api_urls=["http://a.test/api"])
    data = page.to_dict()
    assert data == {"url": "http://a.test/", "status": 200, "headings": ["PPID"],
                    "fetched_at": when.isoformat(), "api_urls": ["http://a.test/api"],
                    "links": [{"url": "http://a.test/lk.pdf", "text": "LKjIP 2025",
                               "in_nav": True}]}
    assert Page.from_dict(data) == page
    data["links"][0]["text"] = "changed"
    data["headings"].append("changed")
    assert page.links[0].text == "LKjIP 2025" and page.headings == ["PPID"], "a copy"
    check = DocumentCheck(url="http://a.test/lk.pdf", ok=True, status=200, checked_at=when)
    assert check.to_dict() == {"url": "http://a.test/lk.pdf", "ok": True, "status": 200,
                               "checked_at": when.isoformat()}
    assert DocumentCheck.from_dict(check.to_dict()) == check


def test_a_field_set_to_anything_but_its_default_is_kept():
    """Falsy values that are not the default (0 bytes, an empty ETag, a sitemap listing
    without ``lastmod``) are information: only a value equal to the default is left out."""
    page = Page(url="http://a.test/", status=0, bytes=0, etag="", sitemap_lastmod="",
                links=[Link(url="http://a.test/x", in_nav=False, context="")])
    data = page.to_dict()
    assert data == {"url": "http://a.test/", "status": 0, "etag": "", "sitemap_lastmod": "",
                    "links": [{"url": "http://a.test/x"}]}
    assert Page.from_dict(json.loads(json.dumps(data))) == page


def test_dicts_written_with_every_field_still_read_back():
    """The HTTP cache rows of runs before the compact form hold every field."""
    when = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)
    page = Page(url="http://a.test/", status=200, fetched_at=when,
                links=[Link(url="http://a.test/lk.pdf", text="LKjIP")])
    full = {**asdict(page), "fetched_at": when.isoformat()}
    assert Page.from_dict(full) == page
    check = DocumentCheck(url="http://a.test/lk.pdf", ok=False, reason="http 404")
    assert DocumentCheck.from_dict({**asdict(check), "checked_at": None}) == check
