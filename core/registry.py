"""The agency registry: which PPID sites are monitored, who gets reminded, who reports to whom.

One file, YAML or CSV, with the contract's columns (``id, name, url, email, role, parent``)
and optional columns: ``insecure_tls`` (accept a bad certificate for that agency),
``platform`` (the site's CMS, when detection from the start page guesses wrong) and
``render`` (``auto``, ``always`` or ``never``: whether its pages may be rendered in a
headless browser, contract §6).
A file with any bad row is refused whole, with every problem listed by row number, so a
typo never imports half a city.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from scrapers.crawling.platforms import PLATFORMS

COLUMNS = ("id", "name", "url", "email", "role", "parent")
OPTIONAL_COLUMNS = ("insecure_tls", "platform", "render")
RENDER_MODES = ("auto", "always", "never")
"""``auto``: render pages whose HTML is an empty app shell; ``always``: every page; ``never``."""
ROLES = ("utama", "pelaksana")
SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")
EMAIL = re.compile(r"^[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+$")
TRUE_WORDS = {"true", "yes", "1", "ya"}
FALSE_WORDS = {"false", "no", "0", "tidak", ""}


@dataclass(frozen=True)
class Agency:
    id: str
    name: str
    url: str
    email: str = ""
    role: str = "pelaksana"
    parent: str = ""
    insecure_tls: bool = False
    platform: str = ""
    """The site's platform (``wordpress``, ``laravel`` …); empty: detected when crawled."""
    render: str = "auto"
    """Whether its pages may be rendered in a headless browser (``RENDER_MODES``)."""


@dataclass(frozen=True)
class Registry:
    source: str
    agencies: tuple[Agency, ...]

    def __iter__(self):
        return iter(self.agencies)

    def __len__(self) -> int:
        return len(self.agencies)

    def get(self, agency_id: str) -> Agency:
        for agency in self.agencies:
            if agency.id == agency_id:
                return agency
        raise KeyError(agency_id)


class RegistryError(ValueError):
    """A refused registry file; ``problems`` lists ``(row, message)`` for every bad row."""

    def __init__(self, source: str, problems: list[tuple[int | None, str]]):
        self.source = source
        self.problems = problems
        lines = [f"{source}: registry refused ({len(problems)} problem(s)); nothing imported"]
        for row, message in problems:
            lines.append(f"  row {row}: {message}" if row is not None else f"  {message}")
        super().__init__("\n".join(lines))


def load_registry(path: str | Path) -> Registry:
    """Read and validate a registry file (``.yaml``/``.yml`` or ``.csv``)."""
    path = Path(path)
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise RegistryError(source, [(None, f"cannot read file: {exc.strerror or exc}")]) from exc
    except UnicodeDecodeError as exc:
        raise RegistryError(source, [(None, f"not UTF-8 text: {exc}")]) from exc
    if path.suffix.lower() in {".yaml", ".yml"}:
        rows = _yaml_rows(text, source)
    elif path.suffix.lower() == ".csv":
        rows = _csv_rows(text, source)
    else:
        raise RegistryError(source, [(None, "unknown file type: use .yaml, .yml or .csv")])
    return Registry(source, validate_rows(rows, source))


def _yaml_rows(text: str, source: str) -> list[tuple[int, dict]]:
    """(row number, mapping) pairs; the row number is the 1-based position in ``agencies:``."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise RegistryError(source, [(None, f"not valid YAML: {exc}")]) from exc
    if not isinstance(data, dict) or not isinstance(data.get("agencies"), list):
        raise RegistryError(source, [(None, "expected a top-level 'agencies:' list")])
    return list(enumerate(data["agencies"], start=1))


def _csv_rows(text: str, source: str) -> list[tuple[int, dict]]:
    """(row number, mapping) pairs; the row number is the data row (header excluded)."""
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in ("id", "url") if c not in header]
    if missing:
        raise RegistryError(source, [(None, f"header lacks column(s): {', '.join(missing)}")])
    reader.fieldnames = header
    return [(n, row) for n, row in enumerate(reader, start=1)]


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _row_problems(row) -> tuple[list[str], Agency | None]:
    """Problems of one row taken alone, and the Agency when there are none."""
    if not isinstance(row, dict):
        return ["not a mapping of columns"], None
    problems = []
    unknown = sorted(set(row) - set(COLUMNS) - set(OPTIONAL_COLUMNS) - {None})
    if unknown:
        problems.append(f"unknown column(s): {', '.join(map(str, unknown))}")
    if None in row:
        problems.append("more values than columns")
    agency_id, url = _text(row.get("id")), _text(row.get("url"))
    role = _role(row)
    email = _text(row.get("email"))
    insecure = _text(row.get("insecure_tls")).lower()
    if not agency_id:
        problems.append("missing id")
    elif not SLUG.match(agency_id):
        problems.append(f"id {agency_id!r} is not a slug (lower-case letters, digits, - and _)")
    if not url:
        problems.append("missing url")
    elif (reason := url_problem(url)) is not None:
        problems.append(f"bad url {url!r}: {reason}")
    if role not in ROLES:
        problems.append(f"role {role!r} is not one of: {', '.join(ROLES)}")
    if email and not all(EMAIL.match(e.strip()) for e in re.split(r"[;,]", email)):
        problems.append(f"bad email {email!r}")
    if insecure not in TRUE_WORDS | FALSE_WORDS:
        problems.append(f"insecure_tls {insecure!r} is not true/false")
    platform = _text(row.get("platform")).lower()
    if platform and platform not in PLATFORMS:
        problems.append(f"platform {platform!r} is not one of: {', '.join(PLATFORMS)}")
    render = _text(row.get("render")).lower() or "auto"
    if render not in RENDER_MODES:
        problems.append(f"render {render!r} is not one of: {', '.join(RENDER_MODES)}")
    if problems:
        return problems, None
    agency = Agency(
        id=agency_id,
        name=_text(row.get("name")) or agency_id,
        url=url,
        email=email,
        role=role,
        parent=_text(row.get("parent")),
        insecure_tls=insecure in TRUE_WORDS,
        platform=platform,
        render=render,
    )
    return [], agency


def url_problem(url: str) -> str | None:
    """Why ``url`` cannot be a start URL, or None."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"}:
        return "scheme must be http or https"
    if not parts.hostname:
        return "no host"
    if any(ch.isspace() for ch in url):
        return "contains white space"
    try:
        _ = parts.port  # raises ValueError for a bad port
    except ValueError:
        return "bad port"
    return None


def validate_rows(rows: list[tuple[int, dict]], source: str) -> tuple[Agency, ...]:
    """Every row's problems, then the cross-row ones (duplicates, parents); all or nothing."""
    problems: list[tuple[int | None, str]] = []
    agencies: list[Agency] = []
    first_row: dict[str, int] = {}
    for number, row in rows:
        row_problems, agency = _row_problems(row)
        problems += [(number, p) for p in row_problems]
        agency_id = _text(row.get("id")) if isinstance(row, dict) else ""
        if agency_id in first_row:
            problems.append((number, f"duplicate id {agency_id!r} (first at row {first_row[agency_id]})"))
        elif agency_id:
            first_row[agency_id] = number
        if agency is not None:
            agencies.append(agency)
    roles = {
        _text(row.get("id")): _role(row) for _, row in rows if isinstance(row, dict)
    }
    for number, row in rows:
        if isinstance(row, dict):
            problems += [(number, p) for p in _parent_problems(_role(row), _text(row.get("parent")), roles)]
    if not rows:
        problems.append((None, "no agencies"))
    if problems:
        raise RegistryError(source, sorted(problems, key=lambda p: (p[0] or 0)))
    return tuple(agencies)


def _role(row: dict) -> str:
    return _text(row.get("role")).lower() or "pelaksana"


def _parent_problems(role: str, parent: str, roles: dict[str, str]) -> list[str]:
    if role == "utama":
        return [f"a PPID Utama has no parent (got {parent!r})"] if parent else []
    if not parent:
        return []
    if parent not in roles:
        return [f"unknown parent {parent!r}"]
    if roles[parent] != "utama":
        return [f"parent {parent!r} is not a PPID Utama (role {roles[parent]!r})"]
    return []
