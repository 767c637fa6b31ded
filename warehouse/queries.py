"""Named queries: the SQL the dashboard, the reminders and analysts share.

Each query is a file ``warehouse/queries/NAME.sql`` whose leading ``--`` comment says what it
returns and which ``$parameters`` it takes. Analysts can run the same files in the ``duckdb``
CLI (``SET VARIABLE`` / substitute the parameters); the dashboard calls ``run(con, NAME, ...)``.

Lists of statuses are not spelled out in the SQL: a query names them as ``$lacking``,
``$published`` … and ``run`` fills them from ``core.vocabulary.sql_parameters()`` (the one
place the statuses are declared).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from core.vocabulary import sql_parameters

if TYPE_CHECKING:  # pandas (~50 MB) is loaded by the first DataFrame, not by the crawl flow
    import pandas as pd

QUERIES_DIR = Path(__file__).with_name("queries")
_PARAMETER = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


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
    text = sql(name)
    return con.sql(text, params=parameters(text, params) or None).to_arrow_table().to_pandas()


def records(con: duckdb.DuckDBPyConnection, name: str, **params) -> list[dict]:
    """Run a named query and return its rows as dicts keyed by column name (small results,
    read by name: no positional ``row[17]``)."""
    text = sql(name)
    result = con.execute(text, parameters(text, params) or None)
    columns = [d[0] for d in result.description]
    return [dict(zip(columns, row, strict=True)) for row in result.fetchall()]


def execute(con: duckdb.DuckDBPyConnection, name: str, **params) -> list[dict]:
    """Run a named statement (``queries/statements/NAME.sql``: the writes, and the reads that
    go with them) and return its rows, if any, by column name."""
    return records(con, f"statements/{name}", **params)


def parameters(text: str, given: dict) -> dict:
    """The caller's parameters plus the vocabulary lists the SQL names (``$lacking`` …)."""
    vocabulary = sql_parameters()
    wanted = set(_PARAMETER.findall(text)) - set(given)
    return {**{k: vocabulary[k] for k in sorted(wanted) if k in vocabulary}, **given}


def execute_many(con: duckdb.DuckDBPyConnection, name: str, rows: list[list]) -> None:
    """Run a named statement with positional ``?`` parameters once per row."""
    if rows:
        con.executemany(sql(name), rows)
