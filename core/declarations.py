"""The declarations file: where OPDs say they publish a category (their "klaim bukti").

Kept by the PPID Utama beside the registry, in the contract's columns ``agency_id,
category_id, url, note`` (contract §6). Accepted forms, as for the registry:

- YAML: a top-level ``declarations:`` list of mappings (aliases refused, like the registry);
- CSV, UTF-8, separated by ``,``, ``;`` or tabs, with a header row naming the columns.

Each row is validated by :class:`DeclarationRow` (a pydantic model: lengths, an http(s) URL);
then against the registry (a known agency), the checklist (a known category), the rows
before it (one row per agency and category) and, through ``url_problem``, against where the
agency may publish (its own site or a known publication host; the rule lives with the
crawler, which passes it in). A file with any bad row is refused whole, every problem listed
with the row a spreadsheet shows (the header is row 1; for YAML the declaration's position in
the list and its line), and nothing is recorded.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from core.messages import pydantic_message
from core.registry import Registry, _text, url_problem
from core.tables import TableError, read_csv, read_yaml, row_mapping

COLUMNS = ("agency_id", "category_id", "url", "note")
MAX_URL_CHARS = 500
"""A declared URL longer than this is refused (the crawler follows none longer either)."""
MAX_NOTE_CHARS = 500
"""A note is a sentence or two: where on the page, which file."""
MAX_FILE_BYTES = 5_000_000
"""A declarations file above this size is refused unread."""
MAX_ROWS = 100_000

UrlCheck = Callable[[str, str], str | None]
"""(agency's registry URL, declared URL) → why the agency may not declare it there, or None."""


@dataclass(frozen=True)
class Declaration:
    """One validated declaration: the agency says ``url`` publishes ``category_id``."""

    agency_id: str
    category_id: str
    url: str
    note: str = ""


class DeclarationsError(ValueError):
    """A refused declarations file; ``problems`` lists ``(row, message)`` for every bad row."""

    def __init__(self, source: str, problems: list[tuple[int | None, str]],
                 where: Callable[[int], str] | None = None):
        self.source = source
        self.problems = problems
        where = where or _row_label
        lines = [f"{source}: berkas klaim ditolak ({len(problems)} masalah); tidak ada yang dicatat"]
        for row, message in problems:
            lines.append(f"  {where(row)}: {message}" if row is not None else f"  {message}")
        super().__init__("\n".join(lines))


def declared_url_problem(url: str) -> str | None:
    """Why ``url`` cannot be declared at all (length, scheme, host, spaces), or None."""
    if len(url) > MAX_URL_CHARS:
        return f"url sepanjang {len(url)} karakter (paling panjang {MAX_URL_CHARS})"
    return url_problem(url)


class DeclarationRow(BaseModel):
    """One row as read from the file, validated column by column."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    agency_id: str
    category_id: str
    url: str
    note: str = ""

    @model_validator(mode="before")
    @classmethod
    def _cells_as_text(cls, row: Any) -> Any:
        if not isinstance(row, dict):
            raise ValueError("bukan pemetaan kolom")
        if None in row:
            raise ValueError("isian lebih banyak daripada kolom")
        return {str(key).strip().lower(): _text(value) for key, value in row.items()}

    @field_validator("agency_id", "category_id")
    @classmethod
    def _present(cls, value: str, info) -> str:  # noqa: ANN001 - pydantic's ValidationInfo
        if not value:
            raise ValueError(f"{info.field_name} kosong")
        if len(value) > 64:
            raise ValueError(f"{info.field_name} lebih dari 64 karakter")
        return value

    @field_validator("url")
    @classmethod
    def _declared_url(cls, value: str) -> str:
        if not value:
            raise ValueError("url kosong")
        if (reason := declared_url_problem(value)) is not None:
            raise ValueError(f"url {value[:120]!r} tidak sah: {reason}")
        return value

    @field_validator("note")
    @classmethod
    def _short_note(cls, value: str) -> str:
        if len(value) > MAX_NOTE_CHARS:
            raise ValueError(f"note sepanjang {len(value)} karakter (paling panjang {MAX_NOTE_CHARS})")
        return value

    def declaration(self) -> Declaration:
        """The row as the record the rest of Pantau passes around."""
        return Declaration(self.agency_id, self.category_id, self.url, self.note)


def load_declarations(path: str | Path, registry: Registry, category_ids: Collection[str],
                      url_check: UrlCheck | None = None) -> tuple[Declaration, ...]:
    """Read and validate a declarations file (``.yaml``/``.yml`` or ``.csv``); raises
    DeclarationsError naming every bad row. ``url_check`` judges each URL against the
    agency's registry URL (the crawler's rule: its own site or a publication host)."""
    path = Path(path)
    source = str(path)
    suffix = path.suffix.lower()
    if suffix not in {".yaml", ".yml", ".csv"}:
        raise DeclarationsError(source, [(None, f"jenis berkas tak dikenal "
                                                f"{suffix or '(tanpa akhiran)'!r}: gunakan .yaml, "
                                                ".yml atau .csv")])
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise DeclarationsError(source, [(None, f"berkas berukuran {size} bita; berkas klaim "
                                                    f"paling besar {MAX_FILE_BYTES} bita")])
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise DeclarationsError(source, [(None, f"berkas tidak dapat dibaca: {exc.strerror or exc}")]) from None
    except UnicodeDecodeError as exc:
        raise DeclarationsError(source, [(None, f"bukan teks UTF-8 (bita {exc.object[exc.start]:#04x} "
                                                f"pada posisi {exc.start}); di Excel simpan sebagai "
                                                "'CSV UTF-8'")]) from None
    if suffix == ".csv":
        return validate_declarations(_csv_rows(text, source), source, registry, category_ids,
                                     url_check)
    rows, lines = _yaml_rows(text, source)
    return validate_declarations(rows, source, registry, category_ids, url_check,
                                 where=lambda n: f"klaim {n} (baris {lines[n]})")


def validate_declarations(rows: list[tuple[int, Any]], source: str, registry: Registry,
                          category_ids: Collection[str], url_check: UrlCheck | None = None,
                          where: Callable[[int], str] | None = None) -> tuple[Declaration, ...]:
    """Every row's problems, then the cross-row ones (duplicates); all or nothing."""
    problems: list[tuple[int | None, str]] = []
    declarations: list[Declaration] = []
    first_row: dict[tuple[str, str], int] = {}
    agencies = {a.id: a for a in registry}
    for number, row in rows:
        try:
            declaration = DeclarationRow.model_validate(row).declaration()
        except ValidationError as exc:
            problems += [(number, message) for message in _messages(exc)]
            continue
        found = _row_problems(declaration, agencies, category_ids, url_check)
        key = (declaration.agency_id, declaration.category_id)
        if key in first_row:
            found.append(f"badan publik dan kategori {key[0]!r}, {key[1]!r} ganda (pertama di "
                         f"{(where or _row_label)(first_row[key])})")
        else:
            first_row[key] = number
        problems += [(number, p) for p in found]
        if not found:
            declarations.append(declaration)
    if problems:
        raise DeclarationsError(source, sorted(problems, key=lambda p: (p[0] or 0)), where)
    return tuple(declarations)


def _row_problems(declaration: Declaration, agencies: dict, category_ids: Collection[str],
                  url_check: UrlCheck | None) -> list[str]:
    found = []
    agency = agencies.get(declaration.agency_id)
    if agency is None:
        found.append(f"badan publik {declaration.agency_id!r} tidak dikenal (tidak ada di registry)")
    if declaration.category_id not in category_ids:
        found.append(f"kategori {declaration.category_id!r} tidak dikenal (tidak ada di daftar periksa)")
    if agency is not None and url_check is not None:
        reason = url_check(agency.url, declaration.url)
        if reason:
            found.append(f"url {declaration.url[:120]!r} ditolak: {reason}")
    return found


def _row_label(row: int) -> str:
    return f"baris {row}"


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


def _yaml_rows(text: str, source: str) -> tuple[list[tuple[int, Any]], dict[int, int]]:
    """(position, mapping) pairs (1-based position in ``declarations:``), and each one's line."""
    try:
        document = read_yaml(text)
    except TableError as exc:
        raise DeclarationsError(source, [(None, str(exc))]) from None
    data = document.data
    if data is None or (isinstance(data, dict) and data.get("declarations") is None
                        and "declarations" in data):
        return [], {}  # an empty file: no declarations
    if not isinstance(data, dict) or not isinstance(data.get("declarations"), list):
        raise DeclarationsError(source, [(None, "tidak ada daftar 'declarations:' di tingkat teratas")])
    items = document.item_lines("declarations")
    if len(items) > MAX_ROWS:
        raise DeclarationsError(source, [(None, f"lebih dari {MAX_ROWS} klaim")])
    lines = dict(enumerate(items, start=1))
    return list(enumerate(data["declarations"], start=1)), lines


def _csv_rows(text: str, source: str) -> list[tuple[int, dict]]:
    """(spreadsheet row, mapping) pairs: the header is row 1, the first declaration row 2."""
    try:
        header, records = read_csv(text, MAX_ROWS)
    except TableError as exc:
        raise DeclarationsError(source, [(None, str(exc))]) from None
    if not any(header):
        return []
    missing = [c for c in COLUMNS[:3] if c not in header]
    if missing:
        found = ", ".join(h for h in header if h) or "tidak ada"
        raise DeclarationsError(source, [(None, (
            f"baris judul tidak memuat kolom: {', '.join(missing)} (yang ada: {found}); berkas "
            f"klaim memerlukan {', '.join(COLUMNS)} — note boleh kosong"))])
    return [(n, row_mapping(header, record)) for n, record in records]
