"""The records' JSON form (what the HTTP cache keeps) is exactly their fields, and reads back."""

from dataclasses import asdict
from datetime import UTC, datetime

from scrapers.model import DocumentCheck, Link, Page


def test_a_page_and_a_document_check_round_trip_through_their_dicts():
    when = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)
    page = Page(url="http://a.test/", status=200, headings=["PPID"], fetched_at=when,
                links=[Link(url="http://a.test/lk.pdf", text="LKjIP 2025", in_nav=True)],
                api_urls=["http://a.test/api"])
    data = page.to_dict()
    assert data == {**asdict(page), "fetched_at": when.isoformat()}
    assert Page.from_dict(data) == page
    data["links"][0]["text"] = "changed"
    data["headings"].append("changed")
    assert page.links[0].text == "LKjIP 2025" and page.headings == ["PPID"], "a copy"
    check = DocumentCheck(url="http://a.test/lk.pdf", ok=True, status=200, checked_at=when)
    assert check.to_dict() == {**asdict(check), "checked_at": when.isoformat()}
    assert DocumentCheck.from_dict(check.to_dict()) == check
