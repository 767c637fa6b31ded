"""The agency registry: which PPID sites are monitored, who gets reminded, who reports to whom.

One file with the contract's columns (``id, name, url, email, role, parent``) and optional
columns: ``insecure_tls`` (accept a bad certificate for that agency), ``platform`` (the site's
CMS, when detection from the start page guesses wrong; the names are the records of
``core/platforms.yaml``) and ``render`` (``auto``, ``always`` or ``never``: whether its pages
may be rendered in a headless browser, contract §6). Accepted forms:

- YAML: a top-level ``agencies:`` list of mappings. Aliases (``*name``) are refused: a
  registry has no use for them, and expanding them is how a 1 kB "billion laughs" file takes
  gigabytes of memory.
- CSV, UTF-8, separated by ``,`` or by ``;`` (what Excel writes where the decimal mark is a
  comma, as in Indonesian settings) or tabs; the header row names every contract column.
- ``.xlsx`` (Excel), first sheet, header in row 1.

Each row is validated by :class:`AgencyRow` (a pydantic model); then the rows are checked
against each other (unique ids, every ``pelaksana`` has a ``utama`` parent). A file with any
bad row is refused whole, every problem listed with the row number a spreadsheet shows
(the header is row 1; for YAML the agency's position in the list and its line), so a typo
never imports half a city. Files above :data:`MAX_REGISTRY_BYTES` are refused unread.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from core.formats import number as decimal
from core.messages import pydantic_message
from core.platforms import platform_names
from core.tables import TableError, read_csv, read_yaml, row_mapping

COLUMNS = ("id", "name", "url", "email", "role", "parent")
OPTIONAL_COLUMNS = ("insecure_tls", "platform", "render")
RENDER_MODES = ("auto", "always", "never")
"""``auto``: render pages whose HTML is an empty app shell; ``always``: every page; ``never``."""
ROLES = ("utama", "pelaksana")
SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")
EMAIL = re.compile(r"^[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+$")
TRUE_WORDS = {"true", "yes", "1", "ya"}
FALSE_WORDS = {"false", "no", "0", "tidak", ""}
MAX_REGISTRY_BYTES = 20_000_000
"""A registry file above this size is refused before it is parsed (a national registry of
every PPID is a few MB)."""
MAX_XLSX_UNPACKED_BYTES = 200_000_000
"""An .xlsx is a zip: refused when its parts would unpack to more than this (a zip bomb)."""
MAX_ROWS = 200_000
"""Rows read from one file; a longer file is refused."""


@dataclass(frozen=True)
class Agency:
    """One monitored public body (a validated registry row)."""

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
    """The agencies of one registry file, in file order."""

    source: str
    agencies: tuple[Agency, ...]

    def __iter__(self):
        return iter(self.agencies)

    def __len__(self) -> int:
        return len(self.agencies)

    def get(self, agency_id: str) -> Agency:
        """The agency with this id (KeyError when there is none)."""
        for agency in self.agencies:
            if agency.id == agency_id:
                return agency
        raise KeyError(agency_id)


class RegistryError(ValueError):
    """A refused registry file; ``problems`` lists ``(row, message)`` for every bad row."""

    def __init__(self, source: str, problems: list[tuple[int | None, str]],
                 where: Callable[[int], str] | None = None):
        self.source = source
        self.problems = problems
        where = where or _row_label
        lines = [f"{source}: registry ditolak ({len(problems)} masalah); tidak ada yang diimpor"]
        for row, message in problems:
            lines.append(f"  {where(row)}: {message}" if row is not None else f"  {message}")
        super().__init__("\n".join(lines))


def _text(value: Any) -> str:
    """A cell as text: YAML booleans and numbers, spreadsheet numbers and empty cells."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


class AgencyRow(BaseModel):
    """One registry row as read from the file, validated column by column."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    name: str
    url: str
    email: str = ""
    role: str
    parent: str = ""
    insecure_tls: str = ""
    platform: str = ""
    render: str = "auto"

    @model_validator(mode="before")
    @classmethod
    def _cells_as_text(cls, row: Any) -> Any:
        if not isinstance(row, dict):
            raise ValueError("bukan pemetaan kolom (nama: nilai)")
        if None in row:
            raise ValueError("lebih banyak nilai daripada kolom")
        return {str(key).strip(): _text(value) for key, value in row.items()}

    @field_validator("id")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not value:
            raise ValueError("id kosong")
        if not SLUG.match(value):
            raise ValueError(f"id {value!r} bukan slug (huruf kecil, angka, - dan _)")
        return value

    @field_validator("name")
    @classmethod
    def _named(cls, value: str) -> str:
        if not value:
            raise ValueError("name kosong")
        return value

    @field_validator("url")
    @classmethod
    def _start_url(cls, value: str) -> str:
        if not value:
            raise ValueError("url kosong")
        if (reason := url_problem(value)) is not None:
            raise ValueError(f"url {value!r} tidak sah: {reason}")
        return value

    @field_validator("role")
    @classmethod
    def _known_role(cls, value: str) -> str:
        role = value.lower()
        if role not in ROLES:
            raise ValueError(f"role {value!r} bukan salah satu dari: {', '.join(ROLES)}")
        return role

    @field_validator("email")
    @classmethod
    def _addresses(cls, value: str) -> str:
        if value and not all(EMAIL.match(e.strip()) for e in re.split(r"[;,]", value)):
            raise ValueError(f"email {value!r} tidak sah")
        return value

    @field_validator("insecure_tls")
    @classmethod
    def _yes_no(cls, value: str) -> str:
        if value.lower() not in TRUE_WORDS | FALSE_WORDS:
            raise ValueError(f"insecure_tls {value!r} bukan true/false")
        return value.lower()

    @field_validator("platform")
    @classmethod
    def _known_platform(cls, value: str) -> str:
        platform = value.lower()
        if platform and platform not in platform_names():
            raise ValueError(f"platform {platform!r} bukan salah satu dari: {', '.join(platform_names())}")
        return platform

    @field_validator("render")
    @classmethod
    def _render_mode(cls, value: str) -> str:
        mode = value.lower() or "auto"
        if mode not in RENDER_MODES:
            raise ValueError(f"render {mode!r} bukan salah satu dari: {', '.join(RENDER_MODES)}")
        return mode

    def agency(self) -> Agency:
        """The row as the record the rest of Pantau passes around."""
        return Agency(id=self.id, name=self.name, url=self.url, email=self.email, role=self.role,
                      parent=self.parent, insecure_tls=self.insecure_tls in TRUE_WORDS,
                      platform=self.platform, render=self.render)


def row_problems(row: Any) -> tuple[list[str], Agency | None]:
    """Problems of one row taken alone, and the Agency when there are none."""
    try:
        return [], AgencyRow.model_validate(row).agency()
    except ValidationError as exc:
        return _messages(exc), None


def _messages(exc: ValidationError) -> list[str]:
    unknown = sorted(str(e["loc"][0]) for e in exc.errors() if e["type"] == "extra_forbidden")
    messages = [f"kolom tak dikenal: {', '.join(unknown)}"] if unknown else []
    for error in exc.errors():
        if error["type"] == "extra_forbidden":
            continue
        if error["type"] == "missing":
            messages.append(f"{error['loc'][0]} kosong")
        else:
            messages.append(pydantic_message(error))
    return messages


def url_problem(url: str) -> str | None:
    """Why ``url`` cannot be a start URL, or None."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"}:
        return "harus diawali http:// atau https://"
    if not parts.hostname:
        return "tanpa nama host"
    if any(ch.isspace() for ch in url):
        return "mengandung spasi"
    try:
        _ = parts.port  # raises ValueError for a bad port
    except ValueError:
        return "nomor port tidak sah"
    return None


def load_registry(path: str | Path) -> Registry:
    """Read and validate a registry file (``.yaml``/``.yml``, ``.csv`` or ``.xlsx``)."""
    path = Path(path)
    source = str(path)
    suffix = path.suffix.lower()
    if suffix not in {".yaml", ".yml", ".csv", ".xlsx"}:
        hint = " (simpan sebagai .xlsx atau CSV)" if suffix in {".xls", ".ods", ".numbers"} else ""
        raise RegistryError(source, [(None, f"jenis berkas tak dikenal {suffix or '(tanpa akhiran)'!r}"
                                            f"{hint}: gunakan .yaml, .yml, .csv atau .xlsx")])
    try:
        size = path.stat().st_size
        if size > MAX_REGISTRY_BYTES:
            raise RegistryError(source, [(None, f"berkas berukuran {decimal(size, 0)} bita; registry "
                                                f"paling besar {decimal(MAX_REGISTRY_BYTES, 0)}")])
        if suffix == ".xlsx":
            rows = _xlsx_rows(path, source)
            return Registry(source, validate_rows(rows, source))
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise RegistryError(source, [(None, f"berkas tidak dapat dibaca: {exc.strerror or exc}")]) from None
    except UnicodeDecodeError as exc:
        raise RegistryError(source, [(None, f"bukan teks UTF-8 (bita {exc.object[exc.start]:#04x} "
                                            f"pada posisi {exc.start}); di Excel simpan sebagai "
                                            "'CSV UTF-8', atau simpan sebagai .xlsx")]) from None
    if suffix == ".csv":
        return Registry(source, validate_rows(_csv_rows(text, source), source))
    rows, lines = _yaml_rows(text, source)
    return Registry(source, validate_rows(rows, source,
                                          where=lambda n: f"badan publik ke-{n} (baris {lines[n]})"))


def _yaml_rows(text: str, source: str) -> tuple[list[tuple[int, Any]], dict[int, int]]:
    """(position, mapping) pairs (1-based position in ``agencies:``), and each one's line."""
    try:
        document = read_yaml(text)
    except TableError as exc:
        raise RegistryError(source, [(None, str(exc))]) from None
    data = document.data
    if not isinstance(data, dict) or not isinstance(data.get("agencies"), list):
        raise RegistryError(source, [(None, "tidak ada daftar 'agencies:' di tingkat teratas")])
    items = document.item_lines("agencies")
    lines = dict(enumerate(items, start=1))
    return list(enumerate(data["agencies"], start=1)), lines


def _csv_rows(text: str, source: str) -> list[tuple[int, dict]]:
    """(spreadsheet row, mapping) pairs: the header is row 1, the first agency row 2."""
    try:
        header, records = read_csv(text, MAX_ROWS)
    except TableError as exc:
        raise RegistryError(source, [(None, str(exc))]) from None
    _check_header(header, source)
    return [(n, row_mapping(header, record)) for n, record in records]


def _xlsx_rows(path: Path, source: str) -> list[tuple[int, dict]]:
    """(spreadsheet row, mapping) pairs of the workbook's first sheet."""
    import openpyxl

    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise RegistryError(source, [(None, "bukan buku kerja .xlsx (bukan berkas zip)")]) from None
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise RegistryError(source, [(None, f"buku kerja terurai menjadi {decimal(unpacked, 0)} bita; "
                                            f"paling banyak {decimal(MAX_XLSX_UNPACKED_BYTES, 0)} yang dibaca")])
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken workbook
        raise RegistryError(source, [(None, f"buku kerja .xlsx tidak terbaca: {exc}")]) from None
    try:
        sheet = workbook.worksheets[0]
        lines = sheet.iter_rows(values_only=True)
        header = [_text(h).lower() for h in next(lines, ())]
        while header and not header[-1]:
            header.pop()
        _check_header(header, source)
        rows = []
        for number, values in enumerate(lines, start=2):
            if number > MAX_ROWS + 1:
                raise RegistryError(source, [(None, f"lebih dari {decimal(MAX_ROWS, 0)} baris")])
            cells = [_text(v) for v in values]
            if any(cells):
                rows.append((number, row_mapping(header, cells)))
        return rows
    finally:
        workbook.close()


def _check_header(header: list[str], source: str) -> None:
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        found = ", ".join(h for h in header if h) or "tidak ada"
        raise RegistryError(source, [(None, (
            f"baris judul tidak memuat kolom: {', '.join(missing)} (yang ada: {found}); registry "
            f"memerlukan {', '.join(COLUMNS)} — email dan parent boleh kosong pada satu baris"))])


def validate_rows(rows: list[tuple[int, Any]], source: str,
                  where: Callable[[int], str] | None = None) -> tuple[Agency, ...]:
    """Every row's problems, then the cross-row ones (duplicates, parents); all or nothing."""
    problems: list[tuple[int | None, str]] = []
    agencies: list[Agency] = []
    first_row: dict[str, int] = {}
    for number, row in rows:
        found, agency = row_problems(row)
        problems += [(number, p) for p in found]
        agency_id = _text(row.get("id")) if isinstance(row, dict) else ""
        if agency_id in first_row:
            problems.append((number, f"id {agency_id!r} ganda (pertama di "
                                     f"{(where or _row_label)(first_row[agency_id])})"))
        elif agency_id:
            first_row[agency_id] = number
        if agency is not None:
            agencies.append(agency)
    roles = {_text(row.get("id")): _text(row.get("role")).lower()
             for _, row in rows if isinstance(row, dict)}
    for number, row in rows:
        if isinstance(row, dict):
            role, parent = _text(row.get("role")).lower(), _text(row.get("parent"))
            problems += [(number, p) for p in _parent_problems(role, parent, roles)]
    if not rows:
        problems.append((None, "tidak ada badan publik"))
    if problems:
        raise RegistryError(source, sorted(problems, key=lambda p: (p[0] or 0)), where)
    return tuple(agencies)


def _row_label(row: int) -> str:
    return f"baris {row}"


def _parent_problems(role: str, parent: str, roles: dict[str, str]) -> list[str]:
    if role == "utama":
        return [f"PPID Utama tidak punya parent (tertulis {parent!r})"] if parent else []
    if role != "pelaksana":
        return []  # the role itself is reported
    if not parent:
        return ["PPID Pelaksana memerlukan parent: id PPID Utama tempatnya melapor"]
    if parent not in roles:
        return [f"parent {parent!r} tidak dikenal"]
    if roles[parent] != "utama":
        return [f"parent {parent!r} bukan PPID Utama (role {roles[parent]!r})"]
    return []
