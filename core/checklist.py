"""The checklist of categories as data: ``checklist.yaml`` plus a region's extension files.

The bundled file holds the contract's 30 categories (ids, order, group and freshness as in
``shared/spec/categories.csv``). A region's file may add categories with new ids under
``categories:`` and add terms to existing ones under ``extend:``; it may not redefine or
rename a category. Every error names the file and the line, because these files are edited
by hand.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

BUNDLED = Path(__file__).with_name("checklist.yaml")

CONTRACT_IDS = (
    "profil", "struktur_organisasi", "lhkpn", "program_kegiatan", "kinerja",
    "laporan_keuangan", "laporan_layanan_informasi", "regulasi", "tata_cara_informasi",
    "pengaduan", "pengadaan", "peringatan_dini", "serta_merta", "dip", "renstra_renja",
    "agenda_pimpinan", "perjanjian_pihak_ketiga", "perizinan", "inventaris", "kepegawaian",
    "surat_menyurat", "sarana_layanan_informasi", "pelanggaran", "penelitian", "dik",
    "sk_ppid", "sop_ppid", "maklumat", "formulir_permohonan", "formulir_keberatan",
)
"""The contract's ids in its order (``shared/spec/categories.csv``; a test keeps them equal)."""

GROUPS = ("berkala", "serta_merta", "setiap_saat", "dikecualikan", "layanan")
FRESHNESS_RULES = ("none", "annual", "semester")
LIST_FIELDS = ("labels", "abbreviations", "url_hints", "exclude")
REQUIRED_FIELDS = ("id", "group", "name", "legal_basis", "weight", "freshness", "labels", "upload_hint")
OPTIONAL_FIELDS = (
    "page_evidence", "image_evidence", "abbreviations", "url_hints", "exclude", "form_terms",
    "due_months",
)
TOP_LEVEL_KEYS = ("common_exclude", "freshness_rules", "categories", "extend")
DEFAULT_FRESHNESS_RULES = {"annual": (12, 0), "semester": (12, 3)}
"""(period_months, due_months) of each dated rule when a file names none (see checklist.yaml)."""
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")


class ChecklistError(ValueError):
    """A checklist file is invalid; the message names the file and the line."""


@dataclass(frozen=True)
class Category:
    """One checklist category: what the law asks for and how to recognise it on a site."""

    id: str
    group: str
    name: str
    legal_basis: str
    weight: float
    freshness: str
    labels: tuple[str, ...]
    abbreviations: tuple[str, ...]
    url_hints: tuple[str, ...]
    exclude: tuple[str, ...]
    upload_hint: str
    position: int
    page_evidence: bool = False
    """A page of its own (title/H1 naming it) publishes the category, not only a document."""
    image_evidence: bool = False
    """An image (a chart, poster or scan) named by its alt text, caption, heading or file name
    publishes the category (Struktur Organisasi, Maklumat, SOP, DIP, procedures)."""
    form_terms: tuple[str, ...] = ()
    """Terms that name a form of document rather than a subject ("SOP", "Maklumat"): followed
    by another category's subject ("SOP Evakuasi") they are evidence for that category only."""
    period_months: int = 12
    """Length of the reporting period of the freshness rule (dated rules only)."""
    due_months: int = 0
    """Months after a period ends by which its document is due (dated rules only)."""


class Checklist:
    """The categories in checklist order, plus the exclusions common to all of them."""

    def __init__(self, categories: tuple[Category, ...], common_exclude: tuple[str, ...] = ()):
        self.categories = categories
        self.common_exclude = common_exclude
        self._by_id = {c.id: c for c in categories}

    def get(self, category_id: str) -> Category:
        try:
            return self._by_id[category_id]
        except KeyError:
            raise KeyError(f"unknown category {category_id!r}") from None

    def __iter__(self) -> Iterator[Category]:
        return iter(self.categories)

    def __len__(self) -> int:
        return len(self.categories)

    def __contains__(self, category_id: object) -> bool:
        return category_id in self._by_id

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.categories)

    @property
    def weights(self) -> dict[str, float]:
        return {c.id: c.weight for c in self.categories}


# ---------------------------------------------------------------- YAML with line numbers


class _Lines:
    """Line numbers of a mapping's keys or a list's items (1-based)."""

    def __init__(self, line: int):
        self.line = line
        self.keys: dict[Any, int] = {}
        self.items: list[int] = []


class _LineDict(dict):
    lines: _Lines


class _LineList(list):
    lines: _Lines


class _DuplicateKey(Exception):
    def __init__(self, key: Any, line: int):
        super().__init__(key, line)
        self.key, self.line = key, line


class _LineLoader(yaml.SafeLoader):
    """A safe loader whose mappings and lists remember the line of every key and item."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> _LineDict:
    loader.flatten_mapping(node)
    mapping = _LineDict()
    mapping.lines = _Lines(node.start_mark.line + 1)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if key in mapping:
            raise _DuplicateKey(key, line)
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.lines.keys[key] = line
    return mapping


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> _LineList:
    items = _LineList(loader.construct_object(child, deep=True) for child in node.value)
    items.lines = _Lines(node.start_mark.line + 1)
    items.lines.items = [child.start_mark.line + 1 for child in node.value]
    return items


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def _line_of(container: Any, key: Any = None, default: int = 1) -> int:
    lines = getattr(container, "lines", None)
    if lines is None:
        return default
    if isinstance(container, dict) and key in lines.keys:
        return lines.keys[key]
    if isinstance(container, list) and isinstance(key, int) and key < len(lines.items):
        return lines.items[key]
    return lines.line


def _read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ChecklistError(f"{path}: cannot read checklist: {exc}") from exc
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except _DuplicateKey as exc:
        raise ChecklistError(f"{path}:{exc.line}: duplicate key {exc.key!r}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        raise ChecklistError(f"{path}{line}: not valid YAML: {exc}") from None


# ---------------------------------------------------------------- validation


class _FileReader:
    """Validates the content of one checklist file; errors carry ``file:line``."""

    def __init__(self, path: Path):
        self.path = path

    def error(self, line: int, message: str) -> ChecklistError:
        return ChecklistError(f"{self.path}:{line}: {message}")

    def top_level(self, data: Any) -> dict:
        if data is None:
            return _LineDict()
        if not isinstance(data, dict):
            raise self.error(_line_of(data), "expected a mapping with 'categories:' and/or 'extend:'")
        for key in data:
            if key not in TOP_LEVEL_KEYS:
                raise self.error(
                    _line_of(data, key), f"unknown key {key!r} (allowed: {', '.join(TOP_LEVEL_KEYS)})"
                )
        return data

    def string_list(self, container: Any, key: str) -> tuple[str, ...]:
        value = container.get(key)
        line = _line_of(container, key)
        if value is None:
            return ()
        if not isinstance(value, list):
            raise self.error(line, f"'{key}' must be a list of texts")
        for index, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                raise self.error(
                    _line_of(value, index, line), f"'{key}' item {item!r} must be a non-empty text"
                )
        return tuple(item.strip() for item in value)

    def text(self, entry: dict, key: str) -> str:
        value = entry.get(key)
        if not isinstance(value, str) or not value.strip():
            raise self.error(_line_of(entry, key), f"'{key}' must be a non-empty text")
        return value.strip()

    def freshness_rules(self, data: dict) -> dict[str, tuple[int, int]]:
        """``freshness_rules:`` → {rule: (period_months, due_months)}, defaults for the rest."""
        rules = dict(DEFAULT_FRESHNESS_RULES)
        given = data.get("freshness_rules")
        if given is None:
            return rules
        if not isinstance(given, dict):
            raise self.error(_line_of(data, "freshness_rules"), "'freshness_rules' must be a mapping")
        for name, spec in given.items():
            line = _line_of(given, name)
            if name not in DEFAULT_FRESHNESS_RULES:
                raise self.error(line, f"freshness rule {name!r} cannot be set (one of annual, semester)")
            if not isinstance(spec, dict) or set(spec) - {"period_months", "due_months"}:
                raise self.error(line, f"freshness_rules.{name} must map period_months and due_months")
            period = spec.get("period_months", rules[name][0])
            due = spec.get("due_months", rules[name][1])
            if period not in (1, 2, 3, 4, 6, 12):
                raise self.error(line, f"freshness_rules.{name}.period_months must divide 12, not {period!r}")
            rules[name] = (period, self.months(due, line, f"freshness_rules.{name}.due_months"))
        return rules

    def months(self, value: Any, line: int, what: str) -> int:
        """A number of months (-24 … 24), else an error naming the line."""
        if isinstance(value, bool) or not isinstance(value, int) or not -24 <= value <= 24:
            raise self.error(line, f"{what} must be a whole number of months from -24 to 24, not {value!r}")
        return value

    def flag(self, entry: dict, key: str) -> bool:
        """A true/false field (false when absent), else an error naming the line."""
        value = entry.get(key, False)
        if not isinstance(value, bool):
            raise self.error(_line_of(entry, key), f"{key} must be true or false")
        return value

    def category(self, entry: Any, line: int, position: int,
                 rules: dict[str, tuple[int, int]] | None = None) -> Category:
        if not isinstance(entry, dict):
            raise self.error(line, "a category must be a mapping of fields")
        for key in entry:
            if key not in REQUIRED_FIELDS + OPTIONAL_FIELDS:
                raise self.error(_line_of(entry, key), f"unknown field {key!r}")
        for key in REQUIRED_FIELDS:
            if key not in entry:
                name = entry.get("id", "?")
                raise self.error(line, f"category {name!r}: missing required field {key!r}")
        category_id = self.text(entry, "id")
        if not ID_PATTERN.match(category_id):
            raise self.error(
                _line_of(entry, "id"), f"category id {category_id!r} must be lower-case letters, digits and _"
            )
        group = self.text(entry, "group")
        if group not in GROUPS:
            raise self.error(_line_of(entry, "group"), f"bad group {group!r} (one of {', '.join(GROUPS)})")
        freshness = self.text(entry, "freshness")
        if freshness not in FRESHNESS_RULES:
            raise self.error(
                _line_of(entry, "freshness"),
                f"bad freshness rule {freshness!r} (one of {', '.join(FRESHNESS_RULES)})",
            )
        weight = entry.get("weight")
        if isinstance(weight, bool) or not isinstance(weight, int | float) or weight <= 0:
            raise self.error(_line_of(entry, "weight"), f"weight must be a positive number, not {weight!r}")
        period_months, due_months = (rules or DEFAULT_FRESHNESS_RULES).get(freshness, (12, 0))
        if "due_months" in entry:
            due_months = self.months(entry["due_months"], _line_of(entry, "due_months"), "due_months")
        labels = self.string_list(entry, "labels")
        if not labels:
            raise self.error(_line_of(entry, "labels"), f"category {category_id!r} needs at least one label")
        return Category(
            id=category_id,
            group=group,
            name=self.text(entry, "name"),
            legal_basis=self.text(entry, "legal_basis"),
            weight=float(weight),
            freshness=freshness,
            labels=labels,
            abbreviations=self.string_list(entry, "abbreviations"),
            url_hints=self.string_list(entry, "url_hints"),
            exclude=self.string_list(entry, "exclude"),
            upload_hint=self.text(entry, "upload_hint"),
            position=position,
            page_evidence=self.flag(entry, "page_evidence"),
            image_evidence=self.flag(entry, "image_evidence"),
            form_terms=self.string_list(entry, "form_terms"),
            period_months=period_months,
            due_months=due_months,
        )

    def categories(self, data: dict, first_position: int,
                   rules: dict[str, tuple[int, int]] | None = None) -> list[tuple[Category, int]]:
        entries = data.get("categories")
        if entries is None:
            return []
        if not isinstance(entries, list):
            raise self.error(_line_of(data, "categories"), "'categories' must be a list")
        result = []
        for index, entry in enumerate(entries):
            line = _line_of(entries, index)
            result.append((self.category(entry, line, first_position + index, rules), line))
        return result

    def extensions(self, data: dict) -> list[tuple[str, dict[str, tuple[str, ...]], int]]:
        extend = data.get("extend")
        if extend is None:
            return []
        if not isinstance(extend, dict):
            raise self.error(_line_of(data, "extend"), "'extend' must map category ids to added terms")
        result = []
        for category_id, additions in extend.items():
            line = _line_of(extend, category_id)
            if not isinstance(additions, dict):
                raise self.error(line, f"extend.{category_id} must be a mapping of {', '.join(LIST_FIELDS)}")
            for key in additions:
                if key not in LIST_FIELDS:
                    raise self.error(
                        _line_of(additions, key),
                        f"extend.{category_id}: {key!r} cannot be changed; only "
                        f"{', '.join(LIST_FIELDS)} can be added to",
                    )
            terms = {key: self.string_list(additions, key) for key in additions}
            result.append((str(category_id), terms, line))
        return result


# ---------------------------------------------------------------- loading


def read_contract_ids(csv_path: str | Path) -> tuple[str, ...]:
    """The ids of the contract's ``categories.csv``, in its order."""
    with open(csv_path, encoding="utf-8", newline="") as handle:
        return tuple(row["id"] for row in csv.DictReader(handle))


def _check_contract_ids(path: Path, found: list[tuple[Category, int]], contract: tuple[str, ...]) -> None:
    ids = [c.id for c, _ in found]
    for index, (category, line) in enumerate(found):
        expected = contract[index] if index < len(contract) else None
        if category.id != expected:
            detail = f"expected {expected!r} here" if expected else "not a contract id"
            raise ChecklistError(
                f"{path}:{line}: category id {category.id!r} differs from categories.csv ({detail}; "
                "the bundled checklist holds exactly the contract's ids in its order)"
            )
    if len(ids) < len(contract):
        missing = ", ".join(contract[len(ids):])
        raise ChecklistError(f"{path}:1: categories.csv ids missing from the checklist: {missing}")


def _extend(category: Category, terms: dict[str, tuple[str, ...]]) -> Category:
    merged = {
        key: getattr(category, key) + tuple(t for t in added if t not in getattr(category, key))
        for key, added in terms.items()
    }
    return replace(category, **merged)


def load_checklist(
    *extension_files: str | Path,
    bundled: str | Path = BUNDLED,
    contract_ids: tuple[str, ...] = CONTRACT_IDS,
) -> Checklist:
    """The bundled checklist, then each extension file applied in order.

    Raises ChecklistError (file and line) for: unknown keys or fields, duplicate ids or keys,
    a bad group or freshness rule, a non-positive weight, a missing required field, bundled
    ids that differ from the contract's, and an extension that redefines a category or
    extends an unknown one.
    """
    bundled = Path(bundled)
    reader = _FileReader(bundled)
    data = reader.top_level(_read_yaml(bundled))
    rules = reader.freshness_rules(data)
    found = reader.categories(data, 0, rules)
    _check_unique(bundled, found, {})
    _check_contract_ids(bundled, found, contract_ids)
    categories = {c.id: c for c, _ in found}
    origins = {c.id: f"{bundled}:{line}" for c, line in found}
    common = list(reader.string_list(data, "common_exclude"))
    for category_id, terms, line in reader.extensions(data):
        categories[category_id] = _extended(reader, categories, category_id, terms, line)
    for extension in extension_files:
        path = Path(extension)
        reader = _FileReader(path)
        data = reader.top_level(_read_yaml(path))
        if "freshness_rules" in data:
            raise reader.error(_line_of(data, "freshness_rules"),
                               "freshness_rules are set by the bundled checklist only")
        added = reader.categories(data, len(categories), rules)
        _check_unique(path, added, origins)
        for category, line in added:
            categories[category.id] = category
            origins[category.id] = f"{path}:{line}"
        for category_id, terms, line in reader.extensions(data):
            categories[category_id] = _extended(reader, categories, category_id, terms, line)
        common += [e for e in reader.string_list(data, "common_exclude") if e not in common]
    return Checklist(tuple(categories.values()), tuple(common))


def _extended(reader: _FileReader, categories: dict[str, Category], category_id: str, terms, line: int):
    if category_id not in categories:
        raise reader.error(line, f"extend: unknown category {category_id!r}")
    return _extend(categories[category_id], terms)


def _check_unique(path: Path, found: list[tuple[Category, int]], earlier: dict[str, str]) -> None:
    seen: dict[str, int] = {}
    for category, line in found:
        if category.id in seen:
            raise ChecklistError(
                f"{path}:{line}: duplicate category id {category.id!r} (first at line {seen[category.id]})"
            )
        if category.id in earlier:
            raise ChecklistError(
                f"{path}:{line}: category {category.id!r} is already defined at {earlier[category.id]}; "
                "a region may add categories with new ids or extend existing ones, not redefine them"
            )
        seen[category.id] = line
