"""What the reports say: worst first, main gaps, the city's standing in words, overdue OPDs."""

from datetime import UTC, datetime

import pytest

from tests import dashboard_fixture as fx
from warehouse import db, scoring
from warehouse.reports import content


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    return fx.build(tmp_path_factory.mktemp("reports") / "city.duckdb")


def test_agencies_worst_first_with_the_unreachable_on_top(city):
    with db.read_only(city.path) as con:
        report = content.city_report(con)
    names = [a.agency_id for a in report.agencies]
    assert names[0] == fx.DISHUB.id  # unreachable in the latest run: no score, shown first
    scores = [a.score for a in report.agencies[1:]]
    assert scores == sorted(scores)
    for a in report.agencies[1:]:
        assert a.score == city.score(next(x for x in fx.AGENCIES if x.id == a.agency_id))


def test_main_gaps_put_heavier_missing_categories_first(city):
    with db.read_only(city.path) as con:
        disdik = content.agency_report(con, fx.DISDIK.id).agency
    weights = {c.id: c.weight for c in city.cats}
    statuses = city.latest(fx.DISDIK)
    assert {g.category_id for g in disdik.gaps} == {c for c, s in statuses.items()
                                                    if s in ("missing", "broken", "stale")}
    top = disdik.main_gaps
    assert len(top) == content.MAIN_GAPS
    assert all(weights[g.category_id] == max(weights.values()) for g in top)
    assert all(g.upload_hint and g.legal_basis for g in disdik.gaps)
    assert content.gap_sentence(disdik).startswith("Kurang: " + top[0].name)


def test_city_sentence_names_band_and_points_to_informatif(city):
    with db.read_only(city.path) as con:
        report = content.city_report(con)
    scored = [city.score(a) for a in fx.AGENCIES if city.score(a) is not None]
    average = round(sum(scored) / len(scored), 2)
    assert report.average == pytest.approx(average)
    sentence = content.city_sentence(report.average, len(report.agencies),
                                     report.band_counts["Informatif"])
    assert f"predikat {scoring.band(average)}" in sentence
    needed = f"{90 - average:.1f}".replace(".", ",")
    assert f"masih perlu naik {needed} poin" in sentence
    assert content.city_sentence(93.0, 4, 4).endswith("Kota sudah mencapai Informatif (≥ 90).")


def test_overdue_lists_reminded_agencies_past_their_reply_by_date(city):
    with db.read_only(city.path) as con:
        before = content.city_report(con, reply_within_days=14,
                                     now=datetime(2026, 11, 10, tzinfo=UTC))
        after = content.city_report(con, reply_within_days=14,
                                    now=datetime(2026, 11, 30, tzinfo=UTC))
    assert before.overdue == []
    assert [o.agency.agency_id for o in after.overdue] == [fx.DINKES.id]  # only one was sent
    assert after.overdue[0].reply_by.date().isoformat() == "2026-11-16"


def test_column_totals_count_found_per_category(city):
    with db.read_only(city.path) as con:
        report = content.city_report(con)
    totals = report.column_totals()
    first = city.cats[0].id
    assert totals[first] == sum(1 for a in fx.AGENCIES if city.latest(a)[first] == "found")


def test_changes_of_an_agency_that_went_down_are_one_line(city):
    with db.read_only(city.path) as con:
        report = content.city_report(con)
    grouped = content.grouped_changes(report.changes)
    down = [g for g in grouped if g[0] == fx.DISHUB.name]
    assert down == [(fx.DISHUB.name, "Menjadi tidak terjangkau",
                     f"semua {len(city.cats)} kategori")]


def test_unknown_agency_and_empty_database_are_refused(city, tmp_path):
    with db.read_only(city.path) as con, pytest.raises(LookupError, match="nope"):
        content.agency_report(con, "nope")
    empty = tmp_path / "empty.duckdb"
    db.connect(empty).close()
    with db.read_only(empty) as con, pytest.raises(LookupError, match="belum ada putaran"):
        content.city_report(con)
