"""Every public function and class of the product says what it is for (as the README test
checks the commands): a name without a leading underscore at module level needs a docstring."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("core", "scrapers", "warehouse", "reminders", "flows", "dashboard", "sample_world",
            "pantau")


def undocumented(root: Path = ROOT) -> list[str]:
    """``file:line name`` of every public module-level function or class with no docstring."""
    missing = []
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in tree.body:
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) \
                        and not node.name.startswith("_") and ast.get_docstring(node) is None:
                    missing.append(f"{path.relative_to(root).as_posix()}:{node.lineno} {node.name}")
    return missing


def test_every_public_function_and_class_has_a_docstring():
    assert undocumented() == []


def test_the_check_sees_a_missing_docstring(tmp_path):
    (tmp_path / "core").mkdir()
    (tmp_path / "core" / "x.py").write_text(
        'def public():\n    return 1\n\n\ndef _private():\n    return 2\n\n\n'
        'class Documented:\n    """Yes."""\n')
    assert undocumented(tmp_path) == ["core/x.py:1 public"]
