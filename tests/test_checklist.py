"""The checklist file: the contract's 30 categories, validation with file and line, extensions."""

import csv
import re
from pathlib import Path

import pytest

from core.checklist import (
    BUNDLED,
    CONTRACT_IDS,
    Category,
    ChecklistError,
    load_checklist,
    read_contract_ids,
)

SPEC_CSV = Path("/work/shared/spec/categories.csv")

ONE = """\
categories:
  - id: alpha
    group: berkala
    name: Alpha
    legal_basis: Perki 1/2021
    weight: 1
    freshness: none
    labels: [Alpha]
    upload_hint: Unggah alpha.
"""


def spec_rows():
    if not SPEC_CSV.exists():
        pytest.skip("shared/spec/categories.csv is not in this checkout")
    with SPEC_CSV.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write(tmp_path, text, name="c.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def load_one(tmp_path, text):
    """Load a file as the bundled checklist against a one-id contract."""
    return load_checklist(bundled=write(tmp_path, text), contract_ids=("alpha",))


def error_of(tmp_path, text) -> str:
    with pytest.raises(ChecklistError) as info:
        load_one(tmp_path, text)
    return str(info.value)


def test_bundled_ids_are_the_contract_ids_in_order():
    assert load_checklist().ids == CONTRACT_IDS
    assert CONTRACT_IDS == tuple(row["id"] for row in spec_rows())
    assert read_contract_ids(SPEC_CSV) == CONTRACT_IDS


def test_bundled_group_and_freshness_follow_the_contract():
    checklist = load_checklist()
    for row in spec_rows():
        category = checklist.get(row["id"])
        assert (category.group, category.freshness) == (row["group"], row["freshness"])


def test_bundled_labels_cover_the_contracts_typical_labels():
    from scrapers.detection.match import normalize

    checklist = load_checklist()
    for row in spec_rows():
        category = checklist.get(row["id"])
        terms = {normalize(t) for t in category.labels + category.abbreviations}
        for typical in row["typical_labels"].split(";"):
            assert any(normalize(typical) in t or t in normalize(typical) for t in terms), (
                row["id"], typical
            )


def test_every_bundled_category_is_complete():
    checklist = load_checklist()
    for position, category in enumerate(checklist):
        assert isinstance(category, Category)
        assert category.position == position
        assert category.weight > 0 and category.labels and category.upload_hint
        assert category.name and category.legal_basis
    assert checklist.weights["dip"] == 2.0 and checklist.weights["profil"] == 1.0
    assert sum(checklist.weights.values()) == 33.0
    assert len(checklist) == 30 and "dip" in checklist and "nope" not in checklist
    with pytest.raises(KeyError):
        checklist.get("nope")


def test_a_valid_file_loads(tmp_path):
    checklist = load_one(tmp_path, ONE)
    alpha = checklist.get("alpha")
    assert alpha.labels == ("Alpha",) and alpha.abbreviations == () and alpha.page_evidence is False
    assert [c.id for c in checklist] == ["alpha"]


def test_unknown_field_names_file_and_line(tmp_path):
    message = error_of(tmp_path, ONE + "    colour: red\n")
    assert re.search(r"c\.yaml:10: unknown field 'colour'", message)


def test_unknown_top_level_key(tmp_path):
    message = error_of(tmp_path, "version: 2\n" + ONE)
    assert "c.yaml:1: unknown key 'version'" in message


def test_duplicate_id(tmp_path):
    second = ONE.split("\n", 1)[1]
    message = error_of(tmp_path, ONE + second)
    assert "c.yaml:10: duplicate category id 'alpha' (first at line 2)" in message


def test_duplicate_key_inside_a_category(tmp_path):
    message = error_of(tmp_path, ONE + "    weight: 2\n")
    assert "c.yaml:10: duplicate key 'weight'" in message


def test_bad_freshness_rule(tmp_path):
    message = error_of(tmp_path, ONE.replace("freshness: none", "freshness: monthly"))
    assert "c.yaml:7: bad freshness rule 'monthly'" in message


def test_bad_group(tmp_path):
    message = error_of(tmp_path, ONE.replace("group: berkala", "group: rahasia"))
    assert "c.yaml:3: bad group 'rahasia'" in message


@pytest.mark.parametrize("weight", ["0", "-1", "berat", "true"])
def test_non_positive_or_non_numeric_weight(tmp_path, weight):
    message = error_of(tmp_path, ONE.replace("weight: 1", f"weight: {weight}"))
    assert "c.yaml:6: weight must be a positive number" in message


def test_missing_required_field(tmp_path):
    message = error_of(tmp_path, ONE.replace("    upload_hint: Unggah alpha.\n", ""))
    assert "c.yaml:2: category 'alpha': missing required field 'upload_hint'" in message


def test_label_must_be_text(tmp_path):
    message = error_of(tmp_path, ONE.replace("labels: [Alpha]", "labels:\n      - Alpha\n      - 12"))
    assert "c.yaml:10: 'labels' item 12 must be a non-empty text" in message


def test_ids_differing_from_the_contract(tmp_path):
    path = write(tmp_path, ONE)
    with pytest.raises(ChecklistError) as info:
        load_checklist(bundled=path, contract_ids=("beta",))
    assert "c.yaml:2: category id 'alpha' differs from categories.csv (expected 'beta' here" in str(info.value)
    with pytest.raises(ChecklistError) as info:
        load_checklist(bundled=path, contract_ids=("alpha", "beta"))
    assert "ids missing from the checklist: beta" in str(info.value)


def test_invalid_yaml_names_the_line(tmp_path):
    message = error_of(tmp_path, ONE + "  - id: [unclosed\n")
    assert re.search(r"c\.yaml:\d+: not valid YAML", message)


def test_bundled_file_is_the_default():
    assert BUNDLED.name == "checklist.yaml" and BUNDLED.exists()


EXTENSION = """\
categories:
  - id: perda_desa
    group: berkala
    name: Peraturan desa
    legal_basis: Perda Kota Contoh 3/2024
    weight: 0.5
    freshness: annual
    labels: [Peraturan Desa, Perdes]
    upload_hint: Unggah peraturan desa terbaru.
extend:
  kinerja:
    labels: [Laporan Capaian Kinerja Daerah]
    abbreviations: [LPPD]
common_exclude: [hoaks]
"""


def test_extension_adds_categories_and_terms(tmp_path):
    checklist = load_checklist(write(tmp_path, EXTENSION, "region.yaml"))
    assert checklist.ids[:30] == CONTRACT_IDS
    assert checklist.ids[30] == "perda_desa"
    added = checklist.get("perda_desa")
    assert added.position == 30 and added.weight == 0.5 and added.freshness == "annual"
    kinerja = checklist.get("kinerja")
    assert "Laporan Capaian Kinerja Daerah" in kinerja.labels and "LKjIP" in kinerja.abbreviations
    assert "LPPD" in kinerja.abbreviations
    assert "hoaks" in checklist.common_exclude and "berita" in checklist.common_exclude


def test_extension_may_not_redefine_a_contract_category(tmp_path):
    text = ONE.replace("id: alpha", "id: dip")
    with pytest.raises(ChecklistError) as info:
        load_checklist(write(tmp_path, text, "region.yaml"))
    assert "region.yaml:2: category 'dip' is already defined at" in str(info.value)


def test_extension_may_not_change_other_fields(tmp_path):
    text = "extend:\n  dip:\n    weight: 5\n"
    with pytest.raises(ChecklistError) as info:
        load_checklist(write(tmp_path, text, "region.yaml"))
    assert "region.yaml:3: extend.dip: 'weight' cannot be changed" in str(info.value)


def test_extension_of_an_unknown_category(tmp_path):
    text = "extend:\n  nope:\n    labels: [X]\n"
    with pytest.raises(ChecklistError) as info:
        load_checklist(write(tmp_path, text, "region.yaml"))
    assert "region.yaml:2: extend: unknown category 'nope'" in str(info.value)


def test_extension_ids_must_be_slugs(tmp_path):
    with pytest.raises(ChecklistError) as info:
        load_checklist(write(tmp_path, ONE.replace("id: alpha", "id: Alpha Beta"), "region.yaml"))
    assert "region.yaml:2: category id 'Alpha Beta' must be" in str(info.value)


def test_two_extensions_may_not_both_add_an_id(tmp_path):
    first = write(tmp_path, ONE, "a.yaml")
    second = write(tmp_path, ONE, "b.yaml")
    with pytest.raises(ChecklistError) as info:
        load_checklist(first, second)
    assert "b.yaml:2: category 'alpha' is already defined at" in str(info.value)
    assert "a.yaml:2" in str(info.value)


def test_missing_file(tmp_path):
    with pytest.raises(ChecklistError, match="cannot read checklist"):
        load_checklist(tmp_path / "nope.yaml")


def test_freshness_rules_give_period_and_due_months(tmp_path):
    rules = "freshness_rules:\n  annual:\n    period_months: 6\n    due_months: 2\n"
    dated = ONE.replace("freshness: none", "freshness: annual")
    alpha = load_one(tmp_path, rules + dated).get("alpha")
    assert (alpha.period_months, alpha.due_months) == (6, 2)
    alpha = load_one(tmp_path, rules + dated + "    due_months: 3\n").get("alpha")
    assert (alpha.period_months, alpha.due_months) == (6, 3)


@pytest.mark.parametrize(
    "rules, expected",
    [
        ("freshness_rules:\n  monthly: {period_months: 1}\n", "c.yaml:2: freshness rule 'monthly' cannot be set"),
        ("freshness_rules:\n  annual: {period_months: 5}\n", "c.yaml:2: freshness_rules.annual.period_months must divide 12"),
        ("freshness_rules:\n  annual: {due_months: x}\n", "c.yaml:2: freshness_rules.annual.due_months must be a whole number"),
    ],
)
def test_bad_freshness_rules_name_file_and_line(tmp_path, rules, expected):
    assert expected in error_of(tmp_path, rules + ONE)


def test_bundled_freshness_follows_perki_1_2021():
    checklist = load_checklist()
    report = checklist.get("laporan_layanan_informasi")
    assert (report.period_months, report.due_months) == (12, 3)
    assert checklist.get("dip").due_months == 0 and checklist.get("kinerja").due_months == 3


def test_only_the_bundled_checklist_sets_freshness_rules(tmp_path):
    extension = write(tmp_path, "freshness_rules:\n  annual: {due_months: 1}\n", "ext.yaml")
    with pytest.raises(ChecklistError, match=r"ext\.yaml:1: freshness_rules are set by the bundled"):
        load_checklist(extension)


REPO_SPEC_CSV = Path(__file__).resolve().parents[1] / "docs" / "spec" / "categories.csv"
"""The contract's categories.csv as copied into the repository (runs in CI without /work)."""


def repo_spec_rows() -> list[dict]:
    with REPO_SPEC_CSV.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_repository_copy_of_the_contract_is_current():
    assert repo_spec_rows() == spec_rows()


def test_legal_basis_equals_the_contract_exactly():
    """An officer who looks the article up must find the duty: the checklist cites exactly
    what categories.csv cites (not the Perki 1/2010 numbering "Pasal 11"/"Pasal 13")."""
    expected = {row["id"]: row["legal_basis"] for row in repo_spec_rows()}
    actual = {c.id: c.legal_basis for c in load_checklist().categories}
    assert actual == expected
    cited = " ".join(actual.values())
    assert "Perki 1/2021 Pasal 11" not in cited and "Perki 1/2021 Pasal 13" not in cited
