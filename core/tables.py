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
from dataclasses import dataclass, field
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


@dataclass
class YamlDocument:
    """A YAML file's data, and the line of each item of its top-level lists (what an error
    message names: ``badan publik ke-3 (baris 12)``)."""

    data: Any
    lines: dict[str, list[int]] = field(default_factory=dict)

    def item_lines(self, key: str) -> list[int]:
        """The 1-based line of each item of the top-level list ``key``."""
        return self.lines.get(key, [])


_MAP_TAG, _SEQ_TAG = "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"


def read_yaml(text: str) -> YamlDocument:
    """The document's data, built from the parser's events one at a time: a national registry
    of 30,000 agencies never exists as a node tree (PyYAML's tree of it peaks at ~14 KB per
    agency, held by the process afterwards). Aliases are refused unexpanded, as are explicit
    tags on lists and mappings; scalars are resolved and built as ``yaml.safe_load`` does."""
    loader = _LOADER(text)
    try:
        return _build(loader)
    except yaml.YAMLError as exc:
        raise TableError(f"bukan YAML yang sah: {exc}") from None
    finally:
        loader.dispose()


def _build(loader) -> YamlDocument:
    loader.get_event()  # StreamStart
    if loader.check_event(yaml.StreamEndEvent):
        return YamlDocument(None)
    loader.get_event()  # DocumentStart
    doc = YamlDocument(None)
    stack: list[list] = []  # frames: [container, key awaiting its value, expecting a key?, top-level key]
    root: list = []
    while not loader.check_event(yaml.DocumentEndEvent):
        event = loader.get_event()
        if isinstance(event, yaml.AliasEvent):
            raise yaml.YAMLError("alias (*nama) tidak diizinkan dalam registry (salah satunya di baris "
                                 f"{event.start_mark.line + 1})")
        if isinstance(event, yaml.SequenceEndEvent | yaml.MappingEndEvent):
            stack.pop()
            continue
        _note_line(doc, stack, event)
        if isinstance(event, yaml.ScalarEvent):
            _attach(stack, root, _scalar(loader, event), event)
        elif isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
            _check_tag(event)
            container: list | dict = [] if isinstance(event, yaml.SequenceStartEvent) else {}
            top_key = stack[0][1] if len(stack) == 1 and isinstance(stack[0][0], dict) else None
            _attach(stack, root, container, event)
            stack.append([container, None, isinstance(container, dict), top_key])
    loader.get_event()  # DocumentEnd
    if not loader.check_event(yaml.StreamEndEvent):
        event = loader.get_event()
        raise yaml.YAMLError(f"lebih dari satu dokumen (baris {event.start_mark.line + 1})")
    doc.data = root[0] if root else None
    return doc


def _note_line(doc: YamlDocument, stack: list[list], event) -> None:
    """An item of a top-level list starts here: keep its line."""
    if len(stack) == 2 and isinstance(stack[1][0], list) and stack[1][3] is not None:
        doc.lines.setdefault(str(stack[1][3]), []).append(event.start_mark.line + 1)


def _attach(stack: list[list], root: list, value: Any, event) -> None:
    if not stack:
        root.append(value)
        return
    frame = stack[-1]
    container = frame[0]
    if isinstance(container, list):
        container.append(value)
    elif frame[2]:  # a key
        try:
            hash(value)
        except TypeError:
            raise yaml.YAMLError(f"kunci yang bukan teks (baris {event.start_mark.line + 1})") from None
        frame[1], frame[2] = value, False
    else:
        container[frame[1]] = value
        frame[1], frame[2] = None, True


def _check_tag(event) -> None:
    if event.tag not in (None, "!", _MAP_TAG, _SEQ_TAG):
        raise yaml.YAMLError(f"tag {event.tag} tidak didukung (baris {event.start_mark.line + 1})")


def _scalar(loader, event) -> Any:
    """The scalar as ``yaml.safe_load`` builds it (the resolver picks its tag)."""
    tag = event.tag
    if tag is None or tag == "!":
        tag = loader.resolve(yaml.ScalarNode, event.value, event.implicit)
    node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
    construct = loader.yaml_constructors.get(tag) or loader.yaml_constructors.get(None)
    return construct(loader, node)
