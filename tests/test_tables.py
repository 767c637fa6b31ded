"""One CSV reader for files kept in Excel: delimiter, row numbers, limits, extra cells."""

import pytest

from core.tables import TableError, read_csv, row_mapping


def test_semicolons_row_numbers_and_blank_rows():
    header, records = read_csv("ID;Name\na;A\n;\nb;B\n", max_rows=10)
    assert header == ["id", "name"]
    assert records == [(2, ["a", "A"]), (4, ["b", "B"])]  # the header is row 1


def test_cells_past_the_header_are_kept_for_the_caller_to_name():
    assert row_mapping(["id", "name"], ["a", "A", "", "extra"]) == {
        "id": "a", "name": "A", None: ["", "extra"]}
    assert None not in row_mapping(["id", "name"], ["a", "A", " "])


def test_too_many_rows_and_broken_csv_are_refused_in_indonesian():
    with pytest.raises(TableError, match="lebih dari 2 baris"):
        read_csv("id\na\nb\nc\n", max_rows=2)
    with pytest.raises(TableError, match="bukan CSV yang sah"):
        read_csv('id\n"' + "x" * 200_000 + '"\n', max_rows=10)  # over csv's field limit
