"""The layers of docs/ARCHITECTURE.md, enforced: no module imports a layer above its own, and
SQL lives in warehouse/ only.

core < scrapers < warehouse < reminders < flows < pantau (the CLI). Inside scrapers, detection
(pure) never imports crawling (I/O), and the shared records (model.py, urls.py) import neither
half. The dashboard sits on the warehouse and core only. The sample world is a fixture: the
product uses it only in the CLI's ``demo`` command (tests and benchmarks use it freely).
Every import counts, also one inside a function.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ORDER = ["core", "scrapers", "warehouse", "reminders", "flows"]
PACKAGES = [*ORDER, "dashboard", "sample_world", "pantau"]
ALLOWED = {name: set(ORDER[: i + 1]) for i, name in enumerate(ORDER)}
ALLOWED["dashboard"] = {"core", "warehouse", "dashboard"}
ALLOWED["sample_world"] = {*ORDER, "dashboard", "sample_world"}
ALLOWED["pantau"] = {*ORDER, "dashboard", "sample_world", "pantau"}
SAMPLE_WORLD_USERS = {("pantau/cli.py", "demo")}
"""(file, function) pairs of the product that may import the sample world."""


def product_files() -> list[Path]:
    return sorted(p for package in PACKAGES for p in (ROOT / package).rglob("*.py"))


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> list[tuple[str, int, str | None]]:
    """(imported module, line, enclosing function or None) for every import in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    found: list[tuple[str, int, str | None]] = []

    def visit(node: ast.AST, function: str | None) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                visit(child, function or child.name)
                continue
            if isinstance(child, ast.Import):
                found.extend((alias.name, child.lineno, function) for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                if child.level:
                    base = package.split(".")[: len(package.split(".")) - child.level + 1]
                    target = ".".join(base + ([child.module] if child.module else []))
                else:
                    target = child.module or ""
                found.append((target, child.lineno, function))
                # "from scrapers import crawling" imports a sub-package
                found.extend((f"{target}.{alias.name}", child.lineno, function)
                             for alias in child.names)
            visit(child, function)

    visit(tree, None)
    return found


def project_imports(path: Path) -> list[tuple[str, int, str | None]]:
    return [(m, line, fn) for m, line, fn in imports(path) if m.split(".")[0] in PACKAGES]


def is_within(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def layer_violations() -> list[str]:
    problems = []
    for path in product_files():
        here = module_name(path)
        layer = here.split(".")[0]
        where = path.relative_to(ROOT).as_posix()
        for target, line, function in project_imports(path):
            top = target.split(".")[0]
            if top not in ALLOWED[layer]:
                problems.append(f"{where}:{line}: {layer} imports {target} (a layer above)")
            if is_within(here, "scrapers.detection") and is_within(target, "scrapers.crawling"):
                problems.append(f"{where}:{line}: detection imports crawling ({target})")
            if here in ("scrapers.model", "scrapers.urls") and (
                    is_within(target, "scrapers.crawling") or is_within(target, "scrapers.detection")):
                problems.append(f"{where}:{line}: the shared {here} imports {target}")
            if top == "sample_world" and layer != "sample_world" \
                    and (where, function) not in SAMPLE_WORLD_USERS:
                problems.append(f"{where}:{line}: the product imports the sample world ({target})")
    return problems


def test_no_module_imports_a_layer_above_its_own():
    assert layer_violations() == []


def test_the_layer_check_sees_a_violation(tmp_path, monkeypatch):
    """The check itself works: a planted upward import is reported (in a throwaway copy)."""
    fake_root = tmp_path / "repo"
    for package in PACKAGES:
        (fake_root / package).mkdir(parents=True)
    (fake_root / "core" / "bad.py").write_text("def f():\n    from flows.crawl import crawl_all\n")
    (fake_root / "scrapers" / "detection").mkdir()
    (fake_root / "scrapers" / "detection" / "x.py").write_text("from ..crawling import fetch\n")
    (fake_root / "flows" / "demo.py").write_text("import sample_world.server\n")
    (fake_root / "dashboard" / "d.py").write_text("from scrapers.model import Finding\n")
    monkeypatch.setattr(__import__(__name__, fromlist=["ROOT"]), "ROOT", fake_root)
    found = layer_violations()
    assert "core/bad.py:2: core imports flows.crawl (a layer above)" in found
    assert any("detection imports crawling (scrapers.crawling" in p for p in found)
    assert "flows/demo.py:1: the product imports the sample world (sample_world.server)" in found
    assert "dashboard/d.py:1: dashboard imports scrapers.model (a layer above)" in found


# ------------------------------------------------------------------ SQL only in warehouse/

SQL = re.compile(
    r"\bSELECT\b[\s\S]+?\bFROM\b|\bINSERT\s+INTO\b|\bUPDATE\s+\w+\s+SET\b|\bDELETE\s+FROM\b"
    r"|\b(CREATE|ALTER|DROP)\s+(OR\s+REPLACE\s+)?(TEMP\s+|TEMPORARY\s+)?"
    r"(TABLE|VIEW|INDEX|SEQUENCE|SCHEMA|MACRO)\b"
    r"|^\s*(BEGIN|COMMIT|ROLLBACK|CHECKPOINT)(\s+TRANSACTION)?\s*;?\s*$|\bPRAGMA\s+\w+"
    r"|\bATTACH\s+(DATABASE\s+)?'|\bCOPY\s+\w+\s+(TO|FROM)\b",
)
"""SQL as code writes it (upper-case keywords); prose such as "select a file" does not match."""


def string_literals(path: Path) -> list[tuple[int, str]]:
    """(line, text) of every string literal that is not a docstring (f-string parts included)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
        if isinstance(node, ast.ClassDef | ast.Module):  # attribute docstrings
            for first, second in zip(node.body, node.body[1:], strict=False):
                if isinstance(first, ast.AnnAssign | ast.Assign) and isinstance(second, ast.Expr) \
                        and isinstance(second.value, ast.Constant):
                    docstrings.add(id(second.value))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            text = "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
            found.append((node.lineno, text))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) \
                and id(node) not in docstrings:
            found.append((node.lineno, node.value))
    return found


def sql_outside_warehouse(root: Path) -> list[str]:
    problems = []
    for package in PACKAGES:
        if package == "warehouse":
            continue
        for path in sorted((root / package).rglob("*.py")):
            for line, text in string_literals(path):
                if SQL.search(text):
                    snippet = " ".join(text.split())[:60]
                    problems.append(f"{path.relative_to(root).as_posix()}:{line}: {snippet}")
    return problems


MOVING = ("flows/crawl.py", "reminders/store.py", "pantau/cli.py")
"""Files whose SQL the ``warehouse`` engineer is moving into warehouse/ (issue 10 item 3)."""


def test_no_new_sql_outside_warehouse():
    assert [p for p in sql_outside_warehouse(ROOT) if not p.startswith(MOVING)] == []


def test_sql_lives_in_warehouse_only():
    assert sql_outside_warehouse(ROOT) == []


@pytest.mark.parametrize("text, is_sql", [
    ("SELECT score FROM latest_scores WHERE agency_id = ?", True),
    ("INSERT INTO reminders VALUES (?, ?)", True),
    ("UPDATE runs SET summary = ? WHERE run_id = ?", True),
    ("BEGIN", True),
    ("CREATE OR REPLACE TEMP TABLE t AS SELECT 1", True),
    ("Pilih berkas dari daftar", False),
    ("select a file from the list", False),
    ("BEGIN the crawl at 02:00", False),
])
def test_the_sql_check_tells_sql_from_prose(tmp_path, text, is_sql):
    (tmp_path / "flows").mkdir()
    (tmp_path / "flows" / "x.py").write_text(f'"""Docstring: SELECT 1 FROM t."""\nQ = {text!r}\n')
    for package in PACKAGES:
        (tmp_path / package).mkdir(exist_ok=True)
    assert bool(sql_outside_warehouse(tmp_path)) == is_sql
