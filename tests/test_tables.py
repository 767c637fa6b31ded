"""One CSV reader for files kept in Excel: delimiter, row numbers, limits, extra cells."""

import re

import pytest
import yaml

from core.tables import TableError, read_csv, read_yaml, row_mapping


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


def test_yaml_data_is_what_safe_load_builds():
    text = ("title: Registry\ncount: 3\nratio: 0.5\nok: yes\nnothing: ~\nwhen: 2026-12-01\n"
            "agencies:\n  - {id: a, url: 'http://a.test/', n: 1}\n  - id: b\n    tags: [x, 'y', 3]\n"
            "  - plain text\n  - - nested\n    - list\nempty: []\nquoted: '007'\n")
    assert read_yaml(text).data == yaml.safe_load(text)


def test_yaml_items_of_top_level_lists_have_their_lines():
    text = "# header\nagencies:\n  - {id: a}\n\n  - id: b\n    name: B\n  - c\nother: [1, 2]\n"
    document = read_yaml(text)
    assert document.item_lines("agencies") == [3, 5, 7]
    assert document.item_lines("other") == [8, 8]
    assert document.item_lines("missing") == []


@pytest.mark.parametrize("text, says", [
    ("a: !!python/object:os.system ls\n", "bukan YAML yang sah"),
    ("a: !!set {x, y}\n", "tag tag:yaml.org,2002:set tidak didukung"),
    ("a: 1\n---\nb: 2\n", "lebih dari satu dokumen"),
    ("? [1, 2]\n: x\n", "kunci yang bukan teks"),
    ("a: &x 1\nb: *x\n", "alias (*nama) tidak diizinkan"),
    ("a: [1, 2\n", "bukan YAML yang sah"),
])
def test_yaml_that_is_not_plain_data_is_refused(text, says):
    with pytest.raises(TableError, match=re.escape(says)):
        read_yaml(text)


def test_yaml_nested_deep_is_read_and_too_deep_refused_without_recursion():
    depth = 900
    data = read_yaml("a: " + "[" * depth + "]" * depth + "\n").data["a"]
    for _ in range(depth - 1):
        data = data[0]
    assert data == []
    with pytest.raises(TableError, match="bukan YAML yang sah"):  # the parser's own bound
        read_yaml("a: " + "[" * 20_000 + "]" * 20_000 + "\n")


def test_a_national_yaml_registry_is_read_without_a_node_tree():
    """30,000 agencies: PyYAML's node tree of them peaks at hundreds of MB; built from the
    parser's events the peak is a small multiple of the data itself."""
    import tracemalloc

    text = "agencies:\n" + "".join(
        f"  - {{id: a{i:05d}, name: 'PPID Perangkat Daerah {i}', url: 'http://127.0.0.1:{i}/', "
        f"email: 'ppid{i}@daerah.go.id', role: pelaksana, parent: a00000}}\n" for i in range(30_000))
    tracemalloc.start()
    try:
        document = read_yaml(text)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(document.data["agencies"]) == 30_000
    assert document.item_lines("agencies")[-1] == 30_001
    assert peak < 60_000_000, f"peak {peak / 1e6:.0f} MB"
