"""Named queries: the SQL the dashboard, the reminders and analysts share.

Each query is a file ``warehouse/queries/NAME.sql`` whose leading ``--`` comment says what it
returns and which ``$parameters`` it takes. Analysts can run the same files in the ``duckdb``
CLI (``SET VARIABLE`` / substitute the parameters); the dashboard calls ``run(con, NAME, ...)``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import duckdb
import pandas as pd

QUERIES_DIR = Path(__file__).with_name("queries")


def names() -> list[str]:
    """The names of every named query (``warehouse/queries/*.sql``)."""
    return sorted(p.stem for p in QUERIES_DIR.glob("*.sql"))


@cache
def sql(name: str) -> str:
    """The text of one named query (KeyError for an unknown name)."""
    path = QUERIES_DIR / f"{name}.sql"
    if not path.is_file():
        raise KeyError(f"no named query {name!r} (known: {', '.join(names())})")
    return path.read_text(encoding="utf-8")


def describe(name: str) -> str:
    """The leading comment of a query file: what it returns, its parameters."""
    lines = []
    for line in sql(name).splitlines():
        if not line.startswith("--"):
            break
        lines.append(line[2:].strip())
    return "\n".join(lines)


def run(con: duckdb.DuckDBPyConnection, name: str, **params) -> pd.DataFrame:
    """Run a named query with its ``$parameters`` and return a DataFrame.

    Through Arrow: for large results (a national matrix has 900,000 rows) DuckDB's Arrow
    output converted by pyarrow is several times faster than ``.df()``."""
    return con.sql(sql(name), params=params or None).to_arrow_table().to_pandas()
