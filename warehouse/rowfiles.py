"""Rows into DuckDB through newline-delimited JSON files, not Arrow.

The crawl flow's process stores hundreds of thousands of rows per run, a few agencies at a
time. Going through Arrow meant importing pyarrow and numpy (about 60 MB of the process
before any crawl) and, per flush, holding the rows three times: as Python lists, as Arrow
arrays and in DuckDB's insert buffers. Here each row is written to a file as one JSON line
as soon as it is known, and DuckDB reads the file (``read_json``, its own streaming reader)
straight into the table: the rows never sit in the process's memory as a batch.

``RowFiles`` keeps one file per table in a directory. ``append`` writes columns (one
agency's rows); ``load`` inserts every file into the like-named tables of a connection and
empties the files; ``close`` deletes them. Each file is read with the column types of the
table it goes into (JSON columns as text, which DuckDB checks when it casts them), so a value
that does not fit is refused by DuckDB, naming the column.
"""

from __future__ import annotations

import json
import os
import tempfile
from datetime import date, datetime, time
from pathlib import Path
from typing import IO, Any

import duckdb

MIN_OBJECT_BYTES = 1024 * 1024
"""``read_json``'s ``maximum_object_size`` at least; above it, the longest line written (one
row: a large page's links as JSON). DuckDB sizes its read buffers by it, so a fixed large
bound would cost that much memory on every load."""


class RowFiles:
    """One newline-delimited JSON file per table in ``directory`` (see the module docstring)."""

    def __init__(self, directory: str | Path, prefix: str = "rows") -> None:
        self.directory = Path(directory)
        self.prefix = prefix
        self._files: dict[str, IO[str]] = {}
        self._columns: dict[str, list[str]] = {}
        self._longest: dict[str, int] = {}
        self.bytes = 0
        """Bytes written since the last ``load`` (what a caller flushes by)."""
        self.rows = 0
        """Rows written since the last ``load``."""

    def path(self, table: str) -> Path:
        """The file that holds ``table``'s rows."""
        return self.directory / f"{self.prefix}.{table}.ndjson"

    def append(self, table: str, columns: dict[str, list]) -> int:
        """Write rows given as columns (name → values, all of one length); returns the rows
        written. The first rows of a table fix its column names."""
        names = list(columns)
        if not names:
            return 0
        known = self._columns.setdefault(table, names)
        if names != known:
            raise ValueError(f"{table}: columns {names} differ from the file's {known}")
        values = [columns[name] for name in names]
        count = len(values[0])
        if not count:
            return 0
        out = self._file(table)
        encode = _ENCODER.encode
        lines = []
        for row in zip(*values, strict=True):
            lines.append(encode(dict(zip(names, row, strict=True))))
        text = "\n".join(lines) + "\n"
        out.write(text)
        longest = max(len(line.encode("utf-8", "replace")) if len(line) * 4 > MIN_OBJECT_BYTES
                      else len(line) for line in lines)
        self._longest[table] = max(self._longest.get(table, 0), longest)
        self.bytes += len(text)
        self.rows += count
        return count

    def tables(self) -> list[str]:
        """The tables that have rows waiting in their file."""
        return [t for t, f in self._files.items() if f.tell() > 0]

    def load(self, con: duckdb.DuckDBPyConnection) -> list[str]:
        """Insert each table's waiting rows into the table of that name through ``con``
        (inside the caller's transaction), then empty the files; returns the tables loaded."""
        loaded = []
        for table, source in self.sources(con).items():
            con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM {source}").fetchall()
            loaded.append(table)
        self.clear()
        return loaded

    def sources(self, con: duckdb.DuckDBPyConnection) -> dict[str, str]:
        """Table → a ``read_json`` call over its waiting rows (``source``), for every table
        with rows; usable wherever a table name is, until the next ``clear``."""
        out = {}
        for table in self.tables():
            self._files[table].flush()
            out[table] = self.source(con, table)
        return out

    def clear(self) -> None:
        """Empty every file (the rows were loaded)."""
        for table in list(self._files):
            self._truncate(table)
        self._longest.clear()
        self.bytes = self.rows = 0

    def source(self, con: duckdb.DuckDBPyConnection, table: str) -> str:
        """A ``read_json`` call that reads ``table``'s file with the column types of the
        table of that name in ``con``'s current catalogue."""
        types = column_types(con, table)
        wanted = self._columns[table]
        missing = [name for name in wanted if name not in types]
        if missing:
            raise ValueError(f"{table}: no column {', '.join(missing)} in the database")
        spec = ", ".join(f"{_quote_text(name)}: {_quote_text(_read_type(types[name]))}"
                         for name in wanted)
        return (f"read_json({_quote_text(str(self.path(table)))}, "
                "format = 'newline_delimited', records = true, "
                f"maximum_object_size = {self._object_bytes(table)}, columns = {{{spec}}})")

    def _object_bytes(self, table: str) -> int:
        longest = self._longest.get(table, 0) + 1
        return max(MIN_OBJECT_BYTES, 1 << longest.bit_length())

    def close(self) -> None:
        """Close and delete every file."""
        for table, out in list(self._files.items()):
            out.close()
            self.path(table).unlink(missing_ok=True)
        self._files.clear()
        self.bytes = self.rows = 0

    def __enter__(self) -> RowFiles:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _file(self, table: str) -> IO[str]:
        out = self._files.get(table)
        if out is None:
            # errors="replace": text a site sent with a lone surrogate becomes "?" rather
            # than failing the run (DuckDB accepts only valid UTF-8)
            out = open(self.path(table), "w+", encoding="utf-8", errors="replace")  # noqa: SIM115
            self._files[table] = out
        return out

    def _truncate(self, table: str) -> None:
        out = self._files[table]
        out.seek(0)
        out.truncate()


def temporary(prefix: str = "rows") -> RowFiles:
    """Row files in a new private temporary directory (``close`` removes the files; the
    directory goes with ``remove_directory``)."""
    return RowFiles(tempfile.mkdtemp(prefix="pantau-rows-"), prefix)


def remove_directory(files: RowFiles) -> None:
    """Close ``files`` and remove their (empty) directory."""
    files.close()
    try:
        os.rmdir(files.directory)
    except OSError:
        pass


def column_types(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, str]:
    """Column name → DuckDB type of ``table`` in the connection's current catalogue."""
    rows = con.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_name = $table AND table_catalog = current_database() "
        "AND table_schema = current_schema() ORDER BY ordinal_position",
        {"table": table}).fetchall()
    return dict(rows)


def _read_type(data_type: str) -> str:
    """The type ``read_json`` reads a column as: JSON columns arrive as text (the values
    are JSON documents already serialised), the rest as the table declares."""
    return "VARCHAR" if data_type.upper() == "JSON" else data_type


def _quote_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _default(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, set | frozenset):
        return list(value)
    return str(value)


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=_default,
                            allow_nan=True)
