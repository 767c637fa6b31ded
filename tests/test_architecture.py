"""docs/ARCHITECTURE.md (and the README's layout section) stay true: every path and every
dotted name of the project they mention exists."""

import importlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ARCHITECTURE = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
README = (ROOT / "README.md").read_text(encoding="utf-8")
PACKAGES = ("core", "scrapers", "warehouse", "reminders", "flows", "dashboard", "sample_world",
            "pantau", "tests", "benchmarks")
PATH_TOKEN = re.compile(r"(?<![\w./-])([\w-][\w.-]*(?:/[\w.-]+)*(?:\.(?:py|yaml|sql|md|csv|j2)|/))(?!\w)")


def tree_paths(block: str) -> list[tuple[str, list[Path]]]:
    """(token, candidate locations) for every file or folder named in the layout tree: a name
    is looked up at the root, in the top-level folder it is listed under, and in its sub-folder."""
    found = []
    top = sub = ROOT
    for line in block.splitlines():
        indent = len(line) - len(line.lstrip())
        stripped = line.strip()
        head = stripped.split()[0] if stripped else ""
        if indent == 0 and head.endswith("/"):
            top = sub = ROOT / head
        elif indent == 2 and head.endswith("/"):
            sub = top / head
        for token in PATH_TOKEN.findall(line):
            found.append((token, [ROOT / token, top / token, sub / token]))
    return found


def code_blocks(text: str) -> list[str]:
    return re.findall(r"```\n(.*?)```", text, flags=re.S)


def backticked(text: str) -> list[str]:
    return re.findall(r"`([^`\n]+)`", text)


def missing_references(text: str) -> list[str]:
    missing = []
    for block in code_blocks(text):
        for token, candidates in tree_paths(block):
            if not any(c.exists() for c in candidates):
                missing.append(token)
    prose = re.sub(r"```\n.*?```", "", text, flags=re.S)
    for ref in backticked(prose):
        name = ref.split("(")[0].split(" ")[0]
        if "/" in name or PATH_TOKEN.fullmatch(name):
            if name.split("/")[0] in PACKAGES + ("docs", "examples") and not (ROOT / name).exists():
                missing.append(name)
        elif re.fullmatch(r"[a-z_]+(\.[A-Za-z_]\w*)+", name) and name.split(".")[0] in PACKAGES:
            if not resolves(name):
                missing.append(name)
    return missing


def resolves(dotted: str) -> bool:
    """``package.module.attribute`` names a module, or an attribute of the longest module prefix."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attribute in parts[cut:]:
            if not hasattr(obj, attribute):
                return False
            obj = getattr(obj, attribute)
        return True
    return False


def test_every_path_and_name_in_the_architecture_exists():
    assert missing_references(ARCHITECTURE) == []
    assert len(tree_paths(code_blocks(ARCHITECTURE)[0])) > 40


def test_the_readme_layout_section_names_only_what_exists():
    section = README.split("## Layout", 1)[1].split("\n## ", 1)[0]
    assert missing_references(section) == []


@pytest.mark.parametrize("text, missing", [
    ("```\ncore/\n  gone.py   nothing\n```\n", ["gone.py"]),
    ("See `scrapers/crawling/nothing.py` and `core.settings.no_such_name()`.", 
     ["scrapers/crawling/nothing.py", "core.settings.no_such_name"]),
    ("```\nscrapers/\n  crawling/\n    fetch.py, robots.py\n```\n`core.settings.load_settings()`", []),
])
def test_the_check_finds_what_does_not_exist(text, missing):
    assert missing_references(text) == missing
