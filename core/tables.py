"""Reading the rows of a CSV file the way a spreadsheet numbers them: one reader for every
file people keep in Excel (the registry, the declarations file).

Excel in an Indonesian locale saves CSV with ``;``; some tools use tabs: the delimiter is the
one the header line uses most. The header is read in lower case; row numbers are a
spreadsheet's (the header is row 1); blank rows are skipped; cells past the header go under
the key ``None`` so the caller can name them.
"""

from __future__ import annotations

import csv
import io

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
