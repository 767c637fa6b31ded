"""Reading the rows of the files people keep by hand (the registry, the declarations file):
one CSV reader that numbers rows the way a spreadsheet does, and one YAML reader that refuses
aliases before anything is expanded.

Excel in an Indonesian locale saves CSV with ``;``; some tools use tabs: the delimiter is the
one the header line uses most. The header is read in lower case; row numbers are a
spreadsheet's (the header is row 1); blank rows are skipped; cells past the header go under
the key ``None`` so the caller can name them.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import yaml

from core.formats import number


class TableError(ValueError):
    """The text is not a CSV table Pantau can read; the message is Indonesian."""


def read_csv(text: str, max_rows: int) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header (lower case) and the non-blank records with their spreadsheet row numbers."""
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [h.strip().lower() for h in next(reader, [])]
        records = []
        for record in reader:
            if len(records) >= max_rows:
                raise TableError(f"lebih dari {number(max_rows, 0)} baris")
            records.append(record)
    except csv.Error as exc:
        raise TableError(f"bukan CSV yang sah: {exc}") from None
    return header, [(n, record) for n, record in enumerate(records, start=2)
                    if any(cell.strip() for cell in record)]


def row_mapping(header: list[str], cells: list[str]) -> dict:
    """A row as a mapping; non-empty cells past the header go under the key None."""
    row: dict = {name: cell for name, cell in zip(header, cells, strict=False) if name}
    if any(cell.strip() for cell in cells[len(header):]):
        row[None] = cells[len(header):]
    return row


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's parser when PyYAML has it (several times faster on a national registry)."""


def _refuse_aliases(root: yaml.Node) -> None:
    """Raise on the first alias: composing keeps one node per anchor, so an alias is a node
    reached twice. Nothing has been expanded yet, and the walk stops at the first repeat."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            raise yaml.YAMLError(f"alias (*nama) tidak diizinkan dalam registry (salah satunya "
                                 f"mengulang nilai bertambat di baris {node.start_mark.line + 1})")
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            stack.extend(part for pair in node.value for part in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


def read_yaml(text: str) -> tuple[yaml.Node | None, Any]:
    """The document's node tree (for line numbers) and its data; aliases refused unexpanded."""
    loader = _LOADER(text)
    try:
        root = loader.get_single_node()
        if root is not None:
            _refuse_aliases(root)
        data = loader.construct_document(root) if root is not None else None
    except yaml.YAMLError as exc:
        raise TableError(f"bukan YAML yang sah: {exc}") from None
    finally:
        loader.dispose()
    return root, data
