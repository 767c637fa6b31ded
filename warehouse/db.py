"""Opening the DuckDB file and migrating its schema.

Migrations are the numbered files in ``warehouse/migrations/`` (``0001_core_tables.sql`` …),
applied in order, forward only; the ``schema_version`` table records which ran and when.
Opening an older database migrates it; a database from a newer Pantau is refused, because
this version cannot know what the newer schema means.

DuckDB lets one process write a file or several read it, not both at once. So writers hold
the file only while they write (see ``flows``), and readers (the dashboard) open read-only
for each query and retry for a short while when a writer has it.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
MIGRATION_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")
STORAGE_VERSION = "v1.5.0"
"""The storage format a new database file is written in. DuckDB 2 writes format 69 by
default, which the DuckDB 1.5 command-line shell (the stable one analysts have) refuses;
a file created with this compatibility version keeps it for its whole life, so both the
1.5 shell and DuckDB 2 clients open it (tests/test_db.py checks it with the real shell)."""


class SchemaError(RuntimeError):
    """The file is not a Pantau PPID database this version can use (newer schema, foreign tables)."""

    pass


@dataclass(frozen=True)
class Migration:
    """One numbered ``migrations/NNNN_name.sql`` file."""

    version: int
    name: str
    path: Path

    def sql(self) -> str:
        return self.path.read_text(encoding="utf-8")


def migrations() -> list[Migration]:
    """The migration files in order; their numbers must run 1, 2, 3 … without gaps."""
    found = []
    for path in sorted(MIGRATIONS_DIR.glob("*.sql")):
        match = MIGRATION_NAME.match(path.name)
        if not match:
            raise SchemaError(f"{path}: migration file names look like 0001_name.sql")
        found.append(Migration(int(match.group(1)), match.group(2), path))
    for expected, migration in enumerate(found, start=1):
        if migration.version != expected:
            raise SchemaError(f"{migration.path}: expected migration number {expected:04d}")
    return found


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params=None):
    """The single value a query returns. Uses fetchall(): DuckDB 2 counts a result read by
    fetchone() as unfinished and refuses register() on the connection until it is."""
    rows = con.execute(sql, params).fetchall()
    return rows[0][0] if rows else None


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """One transaction: committed when the block ends, rolled back when it raises."""
    con.begin()
    try:
        yield con
    except BaseException:
        con.rollback()
        raise
    con.commit()


def latest_version() -> int:
    """The schema version the bundled migrations lead to."""
    return len(migrations())


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """The highest applied migration, 0 for an empty database."""
    exists = scalar(con, "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'schema_version'")
    if not exists:
        return 0
    return scalar(con, "SELECT coalesce(max(version), 0) FROM schema_version")


def migrate(con: duckdb.DuckDBPyConnection, target: int | None = None) -> list[Migration]:
    """Apply the migrations the database lacks, each in its own transaction."""
    known = migrations()
    target = len(known) if target is None else target
    current = schema_version(con)
    if current > len(known):
        raise SchemaError(
            f"database schema version {current} is newer than this Pantau PPID knows "
            f"({len(known)}); upgrade Pantau PPID instead of opening it with this version"
        )
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_version ("
        " version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)"
    )
    applied = []
    for migration in known[current:target]:
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(migration.sql())
            con.execute(
                "INSERT INTO schema_version VALUES (?, ?, ?)",
                [migration.version, migration.name, datetime.now(UTC)],
            )
            con.execute("COMMIT")
        except Exception as exc:
            con.execute("ROLLBACK")
            raise SchemaError(f"{migration.path}: migration failed: {exc}") from exc
        applied.append(migration)
    return applied


def connect(path: str | Path, *, migrate_schema: bool = True) -> duckdb.DuckDBPyConnection:
    """A read-write connection, migrated to the latest schema."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        create_file(path)
    con = duckdb.connect(str(path))
    try:
        if migrate_schema:
            migrate(con)
        else:
            check_version(con, path)
    except Exception:
        con.close()
        raise
    return con


def create_file(path: str | Path) -> None:
    """An empty database file in ``STORAGE_VERSION`` format. Created by a connection of its
    own: DuckDB refuses two connections to one file with different configurations, so every
    later connection opens it without the setting (the format stays in the file header)."""
    duckdb.connect(str(path), config={"storage_compatibility_version": STORAGE_VERSION}).close()


def check_version(con: duckdb.DuckDBPyConnection, path: str | Path) -> int:
    """Refuse a database that is newer than this code, or not yet created/migrated."""
    version = schema_version(con)
    if version > latest_version():
        raise SchemaError(
            f"{path}: database schema version {version} is newer than this Pantau PPID knows "
            f"({latest_version()}); upgrade Pantau PPID"
        )
    if version == 0:
        raise SchemaError(f"{path}: not a Pantau PPID database (run `pantau db migrate --db {path}`)")
    return version


def is_lock_error(exc: Exception) -> bool:
    """DuckDB refused because another process holds the file."""
    text = str(exc).lower()
    return "lock" in text or "conflicting" in text or "being used" in text


def _open_waiting(open_connection, wait: float) -> duckdb.DuckDBPyConnection:
    """Open, retrying with backoff for up to ``wait`` seconds while another process holds the lock."""
    deadline = time.monotonic() + wait
    delay = 0.05
    while True:
        try:
            return open_connection()
        except duckdb.Error as exc:
            if not is_lock_error(exc) or time.monotonic() >= deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.5)


@contextmanager
def read_only(path: str | Path, *, wait: float = 10.0) -> Iterator[duckdb.DuckDBPyConnection]:
    """A short-lived read-only connection; waits up to ``wait`` seconds while a writer holds the file."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such database file")
    con = _open_waiting(lambda: duckdb.connect(str(path), read_only=True), wait)
    try:
        check_version(con, path)
        yield con
    finally:
        con.close()


@contextmanager
def writing(path: str | Path, *, wait: float = 60.0) -> Iterator[duckdb.DuckDBPyConnection]:
    """A migrated read-write connection held only for the block; waits while readers hold the file."""
    con = _open_waiting(lambda: connect(path), wait)
    try:
        yield con
    finally:
        con.close()
