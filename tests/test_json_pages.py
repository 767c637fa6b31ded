"""Paginated JSON lists: parsing and the next page's URL (pure)."""

from __future__ import annotations

from scrapers.detection.json_pages import next_page_url, parse_json

BASE = "http://127.0.0.1:8000/api/dokumen?kategori=berkala"


def test_laravel_next_page_url_is_followed_as_given():
    data = {"current_page": 1, "last_page": 3, "data": [],
            "next_page_url": "/api/dokumen?kategori=berkala&page=2"}
    assert next_page_url(data, BASE) == BASE + "&page=2"


def test_links_next_and_a_null_next_on_the_last_page():
    assert next_page_url({"links": {"next": "?page=4"}}, BASE) == "http://127.0.0.1:8000/api/dokumen?page=4"
    assert next_page_url({"links": {"next": None}}, BASE) is None
    assert next_page_url({"next": {"href": "/api/x?page=2"}}, BASE) == "http://127.0.0.1:8000/api/x?page=2"


def test_page_counter_under_meta_sets_the_page_parameter():
    assert next_page_url({"items": [], "meta": {"page": 2, "total_pages": 3}}, BASE + "&page=2") == (
        BASE + "&page=3")
    assert next_page_url({"meta": {"page": 3, "total_pages": 3}}, BASE) is None
    assert next_page_url({"pagination": {"current_page": "1", "last_page": "2"}}, BASE) == (
        BASE + "&page=2")


def test_no_pagination_and_non_objects_have_no_next_page():
    assert next_page_url({"data": [1, 2]}, BASE) is None
    assert next_page_url([1, 2], BASE) is None
    assert next_page_url({"page": True, "last_page": 2}, BASE) is None


def test_parse_json_refuses_html_and_garbage():
    assert parse_json(b"<html>404</html>") is None
    assert parse_json("{not json") is None
    assert parse_json("\ufeff[1]") == [1]
    assert parse_json("[" * 100000) is None
    assert parse_json(b"") is None
