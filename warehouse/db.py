"""Opening the DuckDB file and migrating its schema.

Migrations are the numbered files in ``warehouse/migrations/`` (``0001_core_tables.sql`` …),
applied in order, forward only; the ``schema_version`` table records which ran and when.
Opening an older database migrates it; a database from a newer Pantau is refused, because
this version cannot know what the newer schema means.

Every connection is opened with extension autoloading and autoinstalling off (a SQLite file
passed as the database must not make DuckDB download its scanner), and a path that is not a
usable DuckDB file (a directory, an empty file, SQLite, text, a read-only file or folder)
is refused before DuckDB touches it, with a :class:`DatabaseFileError` that names the file and
the cause in one line.

DuckDB lets one process write a file or several read it, not both at once. So writers hold
the file only while they write (see ``flows``), and readers (the dashboard) open read-only
for each query and retry for a short while when a writer has it.
"""

from __future__ import annotations

import errno
import os
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


CONFIG = {"autoload_known_extensions": False, "autoinstall_known_extensions": False}
"""Every connection's configuration: nothing is ever downloaded or loaded behind our back."""
DUCKDB_MAGIC = b"DUCK"
"""Bytes 8-11 of every DuckDB database file."""
SQLITE_MAGIC = b"SQLite format 3\x00"


def quiet(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """``con`` without DuckDB's progress bar, which a statement running over two seconds (a
    national run's write) would otherwise draw on the user's terminal."""
    con.execute("SET enable_progress_bar = false")
    return con


class SchemaError(RuntimeError):
    """The file is not a Pantau PPID database this version can use (newer schema, foreign tables)."""

    pass


class DatabaseFileError(RuntimeError):
    """A database path that cannot be used; ``str()`` is ``"<path>: <cause>"`` on one line."""

    def __init__(self, path: str | Path, cause: str) -> None:
        self.path = str(path)
        self.cause = " ".join(cause.split())
        super().__init__(f"{self.path}: {self.cause}")


def inspect_file(path: str | Path, *, writing: bool) -> None:
    """Refuse a path DuckDB must not open (raises DatabaseFileError): a directory, an empty or
    foreign file, or, for ``writing``, a file or folder that cannot be written. A missing
    file is fine for writing (it is created) and raises FileNotFoundError for reading."""
    path = Path(path)
    if path.is_dir():
        raise DatabaseFileError(path, "berupa folder, bukan basis data DuckDB")
    if not path.exists():
        if not writing:
            raise FileNotFoundError(f"{path}: berkas basis data tidak ada (jalankan `pantau crawl` dulu)")
        folder = path.parent if str(path.parent) else Path(".")
        if folder.exists() and not folder.is_dir():
            raise DatabaseFileError(path, f"{folder} bukan folder")
        if folder.is_dir() and not _writable(folder):
            raise DatabaseFileError(path, f"basis data tidak dapat dibuat: {_why_not_writable(folder)}")
        return
    try:
        with path.open("rb") as handle:
            head = handle.read(16)
    except OSError as exc:
        raise DatabaseFileError(path, f"berkas tidak dapat dibaca: {exc.strerror or exc}") from exc
    if not head:
        raise DatabaseFileError(path, "berkas kosong, bukan basis data DuckDB (berkas tidak diubah)")
    if head.startswith(SQLITE_MAGIC):
        raise DatabaseFileError(path, "basis data SQLite, bukan basis data DuckDB (berkas tidak diubah)")
    if head[8:12] != DUCKDB_MAGIC:
        raise DatabaseFileError(path, "bukan basis data DuckDB (berkas tidak diubah)")
    if writing:
        for target in (path, path.parent if str(path.parent) else Path(".")):
            if not _writable(target):
                raise DatabaseFileError(path, f"tidak dapat ditulis: {_why_not_writable(target)}")


def _writable(path: Path) -> bool:
    return os.access(path, os.W_OK)


def _why_not_writable(path: Path) -> str:
    try:
        if os.statvfs(path).f_flag & os.ST_RDONLY:
            return f"sistem berkas hanya-baca (read-only file system: {path})"
    except OSError:
        pass
    kind = "folder" if path.is_dir() else "berkas"
    return f"{kind} hanya-baca (read-only: {path})"


def file_error(path: str | Path, exc: BaseException) -> DatabaseFileError:
    """The one-line DatabaseFileError for an OSError or DuckDB error on ``path``; the real
    cause first ("No space left on device", not the "cannot rollback" that follows it)."""
    if isinstance(exc, DatabaseFileError):
        return exc
    text = str(exc)
    if isinstance(exc, OSError) and exc.errno is not None:
        text = os.strerror(exc.errno) if exc.errno != errno.ENOENT else text
    if text.startswith(f"{path}: "):
        text = text[len(f"{path}: "):]
    lowered = text.lower()
    if "no space left" in lowered or "disk is full" in lowered or "enospc" in lowered:
        text = "disk penuh (No space left on device); basis data tidak berubah"
    elif "read-only file system" in lowered:
        text = "sistem berkas hanya-baca (read-only file system)"
    return DatabaseFileError(path, text.splitlines()[0] if text else type(exc).__name__)


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
        try:
            con.rollback()
        except duckdb.Error:
            pass  # already ended by DuckDB (a full disk): keep the real cause, not "cannot rollback"
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
            f"skema basis data versi {current} lebih baru daripada yang dikenal Pantau PPID ini "
            f"({len(known)}); perbarui Pantau PPID, jangan membukanya dengan versi ini"
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
            try:
                con.execute("ROLLBACK")
            except duckdb.Error:
                pass  # already ended by DuckDB (a full disk): keep the real cause
            if isinstance(exc, duckdb.IOException | OSError):
                raise file_error(con_path(con), exc) from exc
            raise SchemaError(f"{migration.path}: migrasi gagal: {exc}") from exc
        applied.append(migration)
    return applied


def con_path(con: duckdb.DuckDBPyConnection) -> str:
    """The file a connection has open (for error messages)."""
    try:
        rows = con.execute("SELECT path FROM duckdb_databases() WHERE NOT internal").fetchall()
    except duckdb.Error:
        return "database"
    return next((row[0] for row in rows if row[0]), "database")


def connect(path: str | Path, *, migrate_schema: bool = True) -> duckdb.DuckDBPyConnection:
    """A read-write connection, migrated to the latest schema. Raises DatabaseFileError for
    a path that is not a writable DuckDB file (see :func:`inspect_file`)."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise file_error(path, exc) from exc
    inspect_file(path, writing=True)
    if not path.exists():
        create_file(path)
    con = quiet(duckdb.connect(str(path), config=CONFIG))
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
    config = {**CONFIG, "storage_compatibility_version": STORAGE_VERSION}
    try:
        duckdb.connect(str(path), config=config).close()
    except duckdb.Error as exc:
        raise file_error(path, exc) from exc


def check_version(con: duckdb.DuckDBPyConnection, path: str | Path) -> int:
    """Refuse a database that is newer than this code, or not yet created/migrated."""
    version = schema_version(con)
    if version > latest_version():
        raise SchemaError(
            f"{path}: skema basis data versi {version} lebih baru daripada yang dikenal Pantau "
            f"PPID ini ({latest_version()}); perbarui Pantau PPID"
        )
    if version == 0:
        raise SchemaError(f"{path}: bukan basis data Pantau PPID (jalankan `pantau db migrate --db {path}`)")
    return version


def is_lock_error(exc: Exception) -> bool:
    """DuckDB refused because another process holds the file — or, within this process, a
    connection opened the other way (read-only vs read-write: "different configuration"),
    which the dashboard meets when a reviewer's save and a page's read overlap."""
    text = str(exc).lower()
    return ("lock" in text or "conflicting" in text or "being used" in text
            or "different configuration" in text)


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
    inspect_file(path, writing=False)
    con = _open_waiting(lambda: quiet(duckdb.connect(str(path), read_only=True, config=CONFIG)),
                        wait)
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
