"""One vocabulary: the statuses, bands and words declared in core.vocabulary are the ones the
schema, the scoring, the SQL, the dashboard, the e-mails and the CLI use."""

import re
from datetime import date, datetime
from pathlib import Path

import pytest

from core import vocabulary as v
from core.settings import load_settings
from dashboard import labels
from reminders.compose import Composer
from reminders.model import AgencyState, Gap
from warehouse import queries, scoring

ROOT = Path(__file__).resolve().parents[1]
SPEC = Path("/work/shared/spec/contract.md")


def test_statuses_are_the_schemas():
    migration = (ROOT / "warehouse/migrations/0001_core_tables.sql").read_text()
    check = re.search(r"status IN \(([^)]*)\)\),?\s*evidence_url", migration, re.S)
    assert check, "findings.status CHECK not found"
    assert tuple(re.findall(r"'(\w+)'", check.group(1))) == v.STATUSES
    assert set(v.STATUS_WORDS) == set(v.STATUSES)
    assert set(v.CREDIT) | {v.UNREACHABLE} == set(v.STATUSES)
    assert set(v.LACKING) | set(v.PUBLISHED) | {v.UNREACHABLE} == set(v.STATUSES)


@pytest.mark.parametrize(("score", "band"), [
    (100.0, "Informatif"), (90.0, "Informatif"), (89.99, "Menuju Informatif"),
    (80.0, "Menuju Informatif"), (79.99, "Cukup Informatif"), (60.0, "Cukup Informatif"),
    (59.99, "Kurang Informatif"), (40.0, "Kurang Informatif"), (39.99, "Tidak Informatif"),
    (0.0, "Tidak Informatif"), (None, None),
])
def test_bands_follow_the_komisi_informasi_thresholds(score, band):
    assert v.band_of(score) == band
    assert scoring.band(score) == band


def test_band_out_of_range_is_an_error():
    with pytest.raises(ValueError):
        v.band_of(100.5)


@pytest.mark.skipif(not SPEC.exists(), reason="shared contract not present")
def test_band_names_are_the_contracts():
    text = SPEC.read_text()
    for lower, name in v.BANDS:
        if lower:
            assert f"{name} ≥ {lower:g}" in text
        else:
            assert f"{name} below" in text


def test_one_term_for_run_and_for_unreachable():
    assert v.RUN == "putaran"
    assert v.UNREACHABLE_WORD == "tidak terjangkau"
    assert v.NO_SCORE == "Tidak terjangkau"
    assert v.run_word(3) == "Putaran #3"
    assert v.CHANGE_WORDS["became_unreachable"].endswith(v.UNREACHABLE_WORD)
    assert v.UNREACHABLE_WORD in v.REMINDER_KIND_WORDS["digest"]


def test_the_dashboard_uses_the_vocabulary():
    assert labels.STATUS_LABELS is v.STATUS_WORDS
    assert labels.BAND_NAMES == v.BAND_NAMES
    assert labels.band_label(None) == labels.band_label(float("nan")) == v.NO_SCORE
    assert labels.status_label("stale") == v.STATUS_WORDS["stale"]
    assert set(labels.BAND_COLORS) == {*v.BAND_NAMES, v.NO_SCORE}
    assert set(labels.STATUS_COLORS) == set(v.STATUSES)


def _gap(status):
    return Gap(category_id=f"c_{status}", group="berkala", name=f"Kategori {status}",
               legal_basis="Perki 1/2021", freshness="annual", status=status,
               evidence_url="https://x.test/a.pdf", document_year=2020)


def test_the_email_uses_the_same_words_as_the_dashboard():
    settings = load_settings(env={"PANTAU_SMTP_FROM": "pantau@kota.test"})
    agency = AgencyState(id="dinas", name="Dinas", role="pelaksana", email="a@x.test",
                         parent="utama", url="http://dinas.test/", run_id=7, reachable=True,
                         score=50.0, band="Kurang Informatif",
                         checked_at=datetime(2026, 11, 23, 2),
                         gaps=tuple(_gap(s) for s in v.LACKING))
    composer = Composer(settings)
    _subject, text, html = composer.reminder(agency, contact=None, escalation=None,
                                             today=date(2026, 11, 23))
    for status in v.LACKING:
        assert f"{v.STATUS_WORDS[status].upper()} (1)" in text
        assert f"{v.STATUS_WORDS[status]} (1)" in html
    assert v.run_word(7).lower() in text and v.run_word(7).lower() in html
    down = AgencyState(id="down", name="Down", role="pelaksana", email="", parent="utama",
                       url="http://down.test/", run_id=7, reachable=False, score=None,
                       band=None, checked_at=datetime(2026, 11, 23, 2))
    subject, text, html = composer.digest(agency, [down], today=date(2026, 11, 23))
    assert v.UNREACHABLE_WORD in subject and v.UNREACHABLE_WORD in text
    assert v.UNREACHABLE_WORD in html


def test_named_queries_take_status_lists_as_parameters_not_literals():
    literal = re.compile("'({})'".format("|".join(v.STATUSES)))
    for name in queries.names():
        assert not literal.search(queries.sql(name)), f"{name}.sql spells out a status"
    used = {p for name in queries.names() for p in re.findall(r"\$(\w+)", queries.sql(name))}
    assert {"lacking", "published", "change_statuses", "change_names"} <= used


def test_queries_fill_vocabulary_parameters_but_keep_the_callers():
    text = "SELECT * FROM t WHERE list_contains($lacking, s) AND a = $agency_id"
    assert queries.parameters(text, {"agency_id": "x"}) == {
        "lacking": list(v.LACKING), "agency_id": "x"}
    assert queries.parameters(text, {"agency_id": "x", "lacking": ["missing"]})["lacking"] == [
        "missing"]
    assert queries.parameters("SELECT 1", {}) == {}


def test_crawl_modes_have_one_word_each_and_the_dashboard_names_runs_with_them():
    from core.vocabulary import CRAWL_MODES, FULL_REASONS, crawl_mode_word
    from dashboard.labels import agency_crawl_label, crawl_label

    assert [crawl_mode_word(m) for m in CRAWL_MODES] == ["Penuh", "Cerdas"]
    assert crawl_mode_word("mixed") == "Campuran" and crawl_mode_word(None) == ""
    assert crawl_label("smart") == "crawl cerdas"
    assert crawl_label("mixed", full_crawls=2, smart_crawls=28) == "crawl campuran (28 cerdas, 2 penuh)"
    assert crawl_label(None) == "" and crawl_label(float("nan")) == ""
    assert agency_crawl_label("full", FULL_REASONS["first"]) == "Penuh: putaran pertama situs ini"
    assert agency_crawl_label("smart", None) == "Cerdas"
    from core.vocabulary import run_crawl_word

    assert run_crawl_word(0, 30) == "crawl cerdas" and run_crawl_word(3, 0) == "crawl penuh"
    assert run_crawl_word(0, 0) == ""
