"""The dashboard pages on a real DuckDB file (Streamlit AppTest), and its pure parts."""

from __future__ import annotations

import base64
import html
import json
import re
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import charts, data, labels
from tests import dashboard_fixture as fx
from warehouse import db, scoring

APP = Path(__file__).resolve().parents[1] / "dashboard" / "app.py"
TIMEOUT = 60


@pytest.fixture(scope="module")
def city(tmp_path_factory) -> fx.City:
    return fx.build(tmp_path_factory.mktemp("dashboard") / "pantau.duckdb")


def open_app(path: Path, monkeypatch, page: str | None = None, **query) -> AppTest:
    monkeypatch.setenv(data.DB_ENV, str(path))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update(query)
    at.run()
    if page:
        at.switch_page(f"views/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metrics(at: AppTest) -> dict[str, tuple[str, str | None]]:
    return {m.label: (m.value, m.delta) for m in at.metric}


def figures(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def arr(value) -> list:
    """A figure array as a list: Plotly 6+ sends numeric arrays base64-encoded (bdata)."""
    if isinstance(value, dict) and "bdata" in value:
        flat = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
        if "shape" in value:
            flat = flat.reshape([int(n) for n in str(value["shape"]).split(",")])
        return flat.tolist()
    return list(value)


def latest_scores(city: fx.City) -> dict[str, float | None]:
    return {a.id: city.score(a) for a in fx.AGENCIES}


def fmt(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


# Ringkasan ---------------------------------------------------------------------------------

def test_overview_shows_the_kpis_with_the_change_since_the_previous_run(city, monkeypatch):
    at = open_app(city.path, monkeypatch)
    now = latest_scores(city)
    before = {a.id: city.score(a, 1) for a in city.runs[1]}
    scored_now = [s for s in now.values() if s is not None]
    scored_before = [s for s in before.values() if s is not None]
    shown = metrics(at)
    assert shown["Badan publik dipantau"] == (str(len(fx.AGENCIES)), "0")
    average = sum(scored_now) / len(scored_now)
    change = average - sum(scored_before) / len(scored_before)
    assert shown["Rata-rata skor"][0] == fmt(average)
    assert float(shown["Rata-rata skor"][1]) == pytest.approx(change, abs=0.06)
    assert shown["Situs tidak terjangkau"] == ("1", "1")  # Dishub went down in the last run
    for band in labels.BAND_NAMES:
        count_now = sum(1 for s in scored_now if scoring.band(s) == band)
        count_before = sum(1 for s in scored_before if scoring.band(s) == band)
        assert shown[band] == (str(count_now), str(count_now - count_before)), band
    assert at.title[0].value == "Ringkasan kepatuhan PPID"


def test_overview_lists_every_agency_worst_first_with_gaps_and_links(city, monkeypatch):
    at = open_app(city.path, monkeypatch)
    lead, listing = (h.proto.body for h in at.get("html"))
    now = latest_scores(city)
    scored = [s for s in now.values() if s is not None]
    average = sum(scored) / len(scored)
    assert f"Rata-rata skor kota {fmt(average)}" in lead
    assert f"masih perlu naik {fmt(90 - average)} poin" in lead
    expected = sorted(fx.AGENCIES, key=lambda a: (now[a.id] is not None, now[a.id] or 0, a.name))
    assert re.findall(r'data-agency="([^"]+)"', listing) == [a.id for a in expected]
    assert expected[0] is fx.DISHUB  # unreachable: no score, needs a look first
    for agency in fx.AGENCIES:
        assert f'href="badan-publik?agency={agency.id}"' in listing
    assert "Kurang: " in listing and "Situs tidak terjangkau" in listing
    assert fmt(now["dinkes"]) in listing
    # Band distribution and the city's score over time are both drawn.
    bars, line = figures(at)
    assert list(bars["data"][0]["y"]) == [*labels.BAND_NAMES, labels.NO_SCORE]
    assert len(arr(line["data"][0]["y"])) == 3
    assert {b.label for b in at.get("download_button")} == {
        "Unduh CSV", "Unduh Excel", "Unduh laporan kota (PDF)",
        "Unduh laporan kota (HTML, siap cetak)"}


# Badan Publik ------------------------------------------------------------------------------

def test_agency_page_shows_the_score_history_and_every_category_by_group(city, monkeypatch):
    at = open_app(city.path, monkeypatch, "badan_publik", agency="dinkes")
    assert at.selectbox(key="agency").value == "dinkes"
    assert at.header[0].value == labels.md_escape(fx.DINKES.name)
    shown = metrics(at)
    assert shown["Skor"][0] == fmt(city.score(fx.DINKES))
    assert shown["Predikat"][0] == scoring.band(city.score(fx.DINKES))
    statuses = city.latest(fx.DINKES)
    found = sum(1 for s in statuses.values() if s == "found")
    assert shown["Kategori ditemukan"][0] == f"{found} dari {len(city.cats)}"

    history = figures(at)[0]
    assert [round(y, 2) for y in arr(history["data"][0]["y"])] == [
        city.score(fx.DINKES, r) for r in range(3)]
    guides = [s for s in history["layout"]["shapes"] if s["y0"] == s["y1"]]
    assert sorted(s["y0"] for s in guides) == [40, 60, 80, 90]
    notes = " ".join(a["text"] for a in history["layout"]["annotations"])
    for band in labels.BAND_NAMES:
        assert band in notes

    tables = [df.value for df in at.dataframe]
    groups = {c.group for c in city.cats}
    assert len(tables) == len(groups)
    everything = pd.concat(tables)
    assert len(everything) == len(city.cats)
    by_name = {c.name: c.id for c in city.cats}
    for name, status in zip(everything["category_name"], everything["status_label"], strict=True):
        assert status == labels.STATUS_LABELS[statuses[by_name[name]]]
    found_rows = everything[everything["status_label"] == "Ditemukan"]
    assert found_rows["evidence_link"].str.startswith("http://dinkes.test/dokumen/").all()
    assert (found_rows["document_year"] == 2026).all()
    assert found_rows["first_seen_text"].str.fullmatch(r"\d{1,2} \w{3} \d{4}").all()
    gaps = at.get("html")[0].proto.body  # what to upload, with the legal basis
    for cat in city.cats:
        if statuses[cat.id] in ("missing", "broken", "stale"):
            assert html.escape(cat.upload_hint) in gaps and html.escape(cat.legal_basis) in gaps
    labels_shown = [m.value for m in at.markdown]
    for group in groups:
        assert any(labels.group_label(group) in text for text in labels_shown)


def test_agency_page_keeps_crawled_text_literal_and_drops_non_http_links(city, monkeypatch):
    at = open_app(city.path, monkeypatch, "badan_publik", agency=fx.XSS.id)
    # The heading is Markdown-escaped: it renders as the literal name, tags and all.
    assert at.header[0].value == labels.md_escape(fx.XSS.name)
    assert "\\<script\\>" in at.header[0].value
    everything = pd.concat([df.value for df in at.dataframe])
    first = everything.iloc[0]
    assert first["evidence_text"].startswith(fx.SCRIPT)
    assert everything["evidence_text"].str.startswith(fx.IMG).any()
    assert first["evidence_link"] is None or pd.isna(first["evidence_link"])  # was javascript:
    links = everything["evidence_link"].dropna()
    assert len(links) and links.str.startswith("http://xss.test/").all()
    texts = [t.value for t in at.text]
    assert any(fx.SCRIPT in t for t in texts)  # evidence details: st.text, never HTML
    assert any("bukan tautan http/https" in t and "javascript:" in t for t in texts)


def test_agency_page_for_an_unreachable_site_says_so(city, monkeypatch):
    at = open_app(city.path, monkeypatch, "badan_publik", agency="dishub")
    assert metrics(at)["Predikat"][0] == "Tidak terjangkau"
    assert any("tidak terjangkau" in w.value for w in at.warning)
    history = figures(at)[0]
    assert [t.get("name") for t in history["data"]] == ["Skor", "Tidak terjangkau"]


def test_agency_page_names_why_a_blocked_site_was_not_checked(tmp_path, monkeypatch):
    blocked = fx.build(tmp_path / "blocked.duckdb")
    with db.writing(blocked.path) as con:
        con.execute("UPDATE agency_runs SET error = 'diblokir: HTTP 403 (situs menolak pemantau)'"
                    " WHERE agency_id = 'dishub'")
    at = open_app(blocked.path, monkeypatch, "badan_publik", agency="dishub")
    warning = " ".join(w.value for w in at.warning)
    assert "diblokir" in warning and "403" in warning and "User-Agent" in warning


def test_agency_names_with_mail_and_web_addresses_are_not_auto_linked():
    shown = labels.md_escape("Dinas ppid@dinkes.go.id www.dinkes.go.id https://dinkes.go.id/ppid")
    plain = shown.replace(labels.WORD_JOINER, "")
    assert plain.replace("\\", "") == ("Dinas ppid@dinkes.go.id www.dinkes.go.id "
                                         "https://dinkes.go.id/ppid")
    assert "@" + labels.WORD_JOINER in shown and "www" + labels.WORD_JOINER in shown
    assert ":" + labels.WORD_JOINER + "//" in shown


def test_choosing_another_agency_shows_it(city, monkeypatch):
    at = open_app(city.path, monkeypatch, "badan_publik")
    at.selectbox(key="agency").set_value("bappeda").run()
    assert not at.exception
    assert at.header[0].value == labels.md_escape(fx.BAPPEDA.name)
    assert metrics(at)["Skor"][0] == fmt(city.score(fx.BAPPEDA))


# Matriks -----------------------------------------------------------------------------------

def test_matrix_shows_every_agency_and_category_sorted_by_score(city, monkeypatch):
    at = open_app(city.path, monkeypatch, "matriks")
    heatmap = figures(at)[0]["data"][0]
    now = latest_scores(city)
    expected = sorted(fx.AGENCIES, key=lambda a: (now[a.id] is None, -(now[a.id] or 0), a.name))
    assert heatmap["y"] == [labels.plotly_escape(a.name) for a in expected] + [charts.TOTAL_ROW]
    ordered = sorted(city.cats, key=lambda c: c.position)
    assert heatmap["x"] == [charts.short_name(c.name) for c in ordered]  # Indonesian names
    codes = {s: i for i, s in enumerate(labels.STATUSES)}
    row = heatmap["y"].index(fx.DINKES.name)
    assert arr(heatmap["z"])[row] == [codes[city.latest(fx.DINKES)[c.id]] for c in ordered]
    assert heatmap["text"][row] == [labels.STATUS_GLYPHS[city.latest(fx.DINKES)[c.id]]
                                    for c in ordered]
    assert heatmap["text"][-1] == [str(sum(1 for a in fx.AGENCIES
                                           if city.latest(a)[c.id] == "found")) for c in ordered]
    table = at.dataframe[0].value
    assert list(table["Badan Publik"]) == [a.name for a in expected]
    assert table.shape == (len(fx.AGENCIES), 2 + len(city.cats))


def test_matrix_filters_by_role_group_and_parent_and_sorts_by_name(city, monkeypatch):
    at = open_app(city.path, monkeypatch, "matriks")
    at.selectbox(key="matrix_sort").set_value("name").run()
    table = at.dataframe[0].value
    assert list(table["Badan Publik"]) == sorted(a.name for a in fx.AGENCIES)

    at.multiselect(key="matrix_roles").set_value(["utama"]).run()
    assert list(at.dataframe[0].value["Badan Publik"]) == [fx.UTAMA.name]

    at.multiselect(key="matrix_roles").set_value(["utama", "pelaksana"])
    at.multiselect(key="matrix_groups").set_value(["layanan"]).run()
    layanan = [c.name for c in city.cats if c.group == "layanan"]
    assert list(at.dataframe[0].value.columns[2:]) == layanan
    assert figures(at)[0]["data"][0]["x"] == [charts.short_name(c.name) for c in city.cats
                                              if c.group == "layanan"]

    at.selectbox(key="matrix_parent").set_value("setda").run()
    assert len(at.dataframe[0].value) == len(fx.AGENCIES)  # everyone reports to setda
    assert not at.exception


# Perubahan ---------------------------------------------------------------------------------

def expected_changes(before: dict, after: dict) -> dict[str, int]:
    kinds = {"found": "newly_found", "missing": "newly_missing", "broken": "became_broken",
             "stale": "became_stale", "unreachable": "became_unreachable"}
    counts = dict.fromkeys(labels.CHANGES, 0)
    for agency, statuses in after.items():
        if agency not in before:
            continue
        for cat, status in statuses.items():
            if before[agency][cat] != status:
                counts[kinds[status]] += 1
    return counts


def test_changes_default_to_the_last_two_runs(city, monkeypatch):
    at = open_app(city.path, monkeypatch, "perubahan")
    assert at.selectbox[0].value == 2 and at.selectbox[1].value == 3
    shown = metrics(at)
    for change, n in expected_changes(city.runs[1], city.runs[2]).items():
        if change != "other":
            assert shown[labels.CHANGE_LABELS[change]][0] == str(n), change
    moves = at.dataframe[0].value
    moved = {fx.DINKES.name, fx.BAPPEDA.name, fx.DISHUB.name}  # setda/disdik/xss unchanged
    assert set(moves["agency_name"]) == moved
    dishub = moves.set_index("agency_name").loc[fx.DISHUB.name]
    assert dishub["to_band_label"] == "Tidak terjangkau" and pd.isna(dishub["to_score"])
    assert len(figures(at)) == 1  # the score-change bars


def test_changes_between_other_runs(city, monkeypatch):
    at = open_app(city.path, monkeypatch, "perubahan")
    at.selectbox[0].set_value(1).run()
    shown = metrics(at)
    expected = expected_changes(city.runs[0], city.runs[2])
    assert shown["Baru ditemukan"][0] == str(expected["newly_found"])
    at.selectbox[0].set_value(3).run()
    assert any("dua putaran yang berbeda" in w.value for w in at.warning)


# Pengingat ---------------------------------------------------------------------------------

def test_reminders_log(city, monkeypatch):
    at = open_app(city.path, monkeypatch, "pengingat")
    shown = metrics(at)
    assert shown["Jumlah pengingat"][0] == "3"
    assert shown["Terkirim"][0] == "1" and shown["Gagal"][0] == "1" and shown["Dilewati"][0] == "1"
    silent = at.dataframe[0].value  # agencies without an e-mail are listed first
    assert list(silent["name"]) == sorted(a.name for a in fx.AGENCIES if not a.email)
    assert "tidak menerima pengingat" in at.warning[0].value
    log = at.dataframe[1].value
    assert set(log["agency_name"]) == {fx.DINKES.name, fx.DISDIK.name, fx.DISHUB.name}
    failed = log.set_index("agency_name").loc[fx.DISDIK.name]
    assert failed["status_label"] == "Gagal" and "550" in failed["error"]
    assert failed["categories"] == "profil, lhkpn"
    assert len(figures(at)) == 1


def test_no_reminders_yet(tmp_path, monkeypatch):
    city = fx.build(tmp_path / "p.duckdb", runs=1, reminders=False)
    at = open_app(city.path, monkeypatch, "pengingat")
    assert [i.value for i in at.info] == ["Belum ada pengingat."]
    at.switch_page("views/perubahan.py").run()
    assert not at.exception and "satu putaran" in at.info[0].value
    at.switch_page("views/ringkasan.py").run()  # nothing to compare with yet: no deltas
    assert not at.exception
    assert all(delta in (None, "") for _, delta in metrics(at).values())
    assert "Belum ada putaran sebelumnya" in at.caption[0].value


# Empty, missing, changing databases --------------------------------------------------------

@pytest.mark.parametrize("page", [None, "badan_publik", "matriks", "perubahan", "pengingat"])
def test_an_empty_database_shows_a_message_on_every_page(tmp_path, monkeypatch, page):
    path = tmp_path / "empty.duckdb"
    with db.writing(path):
        pass
    at = open_app(path, monkeypatch, page)
    assert any("Belum ada hasil pemantauan" in i.value for i in at.info)
    assert not at.dataframe and not at.get("plotly_chart")


def test_a_missing_or_foreign_database_is_an_error_message_not_a_crash(tmp_path, monkeypatch):
    at = open_app(tmp_path / "nope.duckdb", monkeypatch)
    assert "tidak ditemukan" in at.error[0].value
    foreign = tmp_path / "foreign.duckdb"
    import duckdb

    con = duckdb.connect(str(foreign))
    con.execute("CREATE TABLE t (x INTEGER)")
    con.close()
    at = open_app(foreign, monkeypatch)
    assert "Bukan basis data Pantau PPID" in at.error[0].value


def test_no_database_given(monkeypatch):
    monkeypatch.delenv(data.DB_ENV, raising=False)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert not at.exception and "PANTAU_DB" in at.error[0].value


def test_a_new_run_shows_on_the_next_rerun(tmp_path, monkeypatch):
    city = fx.build(tmp_path / "p.duckdb", runs=2)
    at = open_app(city.path, monkeypatch)
    assert fx.NEWCOMER.name not in at.get("html")[1].proto.body
    statuses = dict(city.runs[1])
    statuses[fx.NEWCOMER] = fx.cycle(city.cats, "found")
    fx.add_run(city.path, city.cats, statuses, datetime(2026, 11, 9, 2, 0))
    at.run()
    assert not at.exception
    listing = at.get("html")[1].proto.body
    row = listing.split(f'data-agency="{fx.NEWCOMER.id}"')[1].split("</tr>")[0]
    assert "100,0" in row
    assert metrics(at)["Badan publik dipantau"] == (str(len(fx.AGENCIES) + 1), "1")


def test_no_page_renders_html_except_the_escaping_blocks():
    """HTML reaches the page only through ``dashboard.standings`` (every value escaped)."""
    root = APP.parent
    for path in root.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "unsafe_allow_html" not in text, path
        assert "unsafe_allow_javascript" not in text, path
        calls = re.findall(r"st\.html\(([^)]*)", text)
        assert all(c.startswith("standings.") for c in calls), (path, calls)


def test_standings_blocks_escape_crawled_and_registry_text():
    from dashboard import standings
    from warehouse.reports import content

    line = content.AgencyLine(
        agency_id='x"><script>', name=fx.SCRIPT, role="pelaksana", parent_name=None,
        url="http://x.test/", email=None, run_id=1, reachable=False, error=fx.IMG,
        pages=None, documents=None, score=None, previous_score=None, band=None,
        checked_at=None)
    page = standings.standings_html([line]) + standings.lead_html(fx.SCRIPT, "Informatif")
    assert "<script>" not in page and "<img" not in page
    assert "&lt;script&gt;" in page and "&lt;img" in page
    assert 'href="badan-publik?agency=x%22%3E%3Cscript%3E"' in page


# Pure parts --------------------------------------------------------------------------------

def test_db_path_comes_from_the_arguments_then_the_environment():
    env = {data.DB_ENV: "/env.duckdb"}
    assert data.resolve_db_path(["--db", "a.duckdb"], env) == Path("a.duckdb")
    assert data.resolve_db_path(["--db=b.duckdb"], env) == Path("b.duckdb")
    assert data.resolve_db_path(["-x", "tests"], env) == Path("/env.duckdb")
    assert data.resolve_db_path([], {}) is None
    assert data.resolve_db_path(["--db"], {}) is None


def standings(rows):
    return pd.DataFrame(rows, columns=["as_of_run", "agency_id", "run_id", "score", "band",
                                       "reachable"])


def test_kpis_compare_the_latest_standing_with_the_previous_one():
    frame = standings([
        (1, "a", 1, 50.0, "Kurang Informatif", True),
        (1, "b", 1, None, None, False),
        (2, "a", 2, 95.0, "Informatif", True),
        (2, "b", 1, None, None, False),  # not crawled in run 2: keeps its run-1 standing
        (2, "c", 2, 10.0, "Tidak Informatif", True),
    ])
    now, before = data.kpis_from_standings(frame)
    assert (now.agencies, now.average, now.unreachable) == (3, 52.5, 1)
    assert now.bands["Informatif"] == 1 and now.bands["Tidak Informatif"] == 1
    assert (before.agencies, before.average, before.unreachable) == (2, 50.0, 1)
    only, none = data.kpis_from_standings(frame[frame["as_of_run"] == 1])
    assert none is None and only.agencies == 2
    empty, _ = data.kpis_from_standings(standings([]))
    assert empty.agencies == 0 and empty.average is None
    counts = data.band_counts_frame(now)
    assert list(counts["band"]) == [*labels.BAND_NAMES, labels.NO_SCORE]
    assert list(counts["agencies"]) == [1, 0, 0, 0, 1, 1]


def test_ranking_shares_ranks_on_ties_and_attaches_trends():
    ranking = pd.DataFrame({
        "agency_id": ["a", "b", "c"], "name": ["A", "B", "C"], "role": ["utama", "pelaksana",
                                                                         "pelaksana"],
        "parent": [None, "a", "a"], "score": [90.0, 90.0, None],
        "band": ["Informatif", "Informatif", None], "previous_score": [80.0, None, 50.0],
        "delta": [10.0, None, None], "run_id": [2, 2, 2], "checked_at": [datetime(2026, 1, 1)] * 3,
    })
    trends = pd.DataFrame({"agency_id": ["a", "c"], "scores": [[80.0, 90.0], None]})
    table = data.ranking_table(ranking, trends)
    assert list(table["rank"].astype("object")) == [1, 1, pd.NA]
    assert list(table["band_label"]) == ["Informatif", "Informatif", "Tidak terjangkau"]
    assert list(table["trend"]) == [[80.0, 90.0], [], []]
    assert list(table["role_label"]) == ["PPID Utama", "PPID Pelaksana", "PPID Pelaksana"]


def matrix_rows():
    rows = []
    agencies = [("u", "Utama", "utama", None, 90.0), ("x", "zeta", "pelaksana", "u", 20.0),
                ("y", "Alfa", "pelaksana", "u", None), ("z", "Beta", "pelaksana", "q", 50.0)]
    for agency_id, name, role, parent, score in agencies:
        for pos, (cat, group, title) in enumerate([("c1", "berkala", "Profil Badan Publik"),
                                                   ("c2", "layanan", "SOP PPID")]):
            rows.append({"agency_id": agency_id, "agency_name": name, "role": role,
                         "parent": parent, "category_id": cat, "category_name": title,
                         "category_group": group,
                         "position": pos, "status": "found" if score else "unreachable",
                         "score": score})
    frame = pd.DataFrame(rows)
    frame["status_label"] = frame["status"].map(labels.status_label)
    return frame


def test_filter_matrix_sorts_and_filters():
    rows = matrix_rows()
    _, order = data.filter_matrix(rows, sort="score_desc")
    assert order == ["u", "z", "x", "y"]  # no score last
    _, order = data.filter_matrix(rows, sort="score_asc")
    assert order == ["x", "z", "u", "y"]
    _, order = data.filter_matrix(rows, sort="name")
    assert order == ["y", "z", "u", "x"]  # case-insensitive
    kept, order = data.filter_matrix(rows, parent="u")
    assert set(order) == {"u", "x", "y"}
    kept, order = data.filter_matrix(rows, roles=["pelaksana"], groups=["layanan"])
    assert set(kept["category_id"]) == {"c2"} and "u" not in order
    with pytest.raises(ValueError):
        data.filter_matrix(rows, sort="bogus")


def test_matrix_wide_is_one_row_per_agency_in_display_order():
    rows = matrix_rows()
    _, order = data.filter_matrix(rows, sort="name")
    wide = data.matrix_wide(rows, order)
    assert list(wide.columns) == ["Badan Publik", "Skor", "Profil Badan Publik", "SOP PPID"]
    assert list(wide["Badan Publik"]) == ["Alfa", "Beta", "Utama", "zeta"]
    assert list(wide["Profil Badan Publik"]) == ["Tidak terjangkau", "Ditemukan", "Ditemukan", "Ditemukan"]


def test_score_moves_keep_only_agencies_that_moved():
    frame = pd.DataFrame({
        "agency_id": ["a", "b", "c", "d"], "agency_name": ["A", "B", "C", "D"],
        "from_score": [50.0, 60.0, 70.0, None], "to_score": [60.0, 60.0, None, None],
        "delta": [10.0, 0.0, None, None],
        "from_band": ["Kurang Informatif", "Cukup Informatif", "Cukup Informatif", None],
        "to_band": ["Cukup Informatif", "Cukup Informatif", None, None],
    })
    moves = data.score_moves(frame)
    assert list(moves["agency_id"]) == ["a", "c"]
    assert list(moves["to_band_label"]) == ["Cukup Informatif", "Tidak terjangkau"]


def test_safe_url_only_allows_http_links():
    assert labels.safe_url("https://x.go.id/a.pdf") == "https://x.go.id/a.pdf"
    assert labels.safe_url(" http://x.go.id/ ") == "http://x.go.id/"
    for bad in ("javascript:alert(1)", "JAVASCRIPT:alert(1)", "data:text/html,<b>", "/rel.pdf",
                "http:///nohost", "", None, float("nan")):
        assert labels.safe_url(bad) is None, bad


def test_escapes():
    assert labels.md_escape("<script>*x*</script>") == "\\<script\\>\\*x\\*\\</script\\>"
    assert labels.md_escape(":red[x] $y$") == "\\:red\\[x\\] \\$y\\$"
    assert labels.plotly_escape("<b>A & B</b>") == "&lt;b&gt;A &amp; B&lt;/b&gt;"


def test_while_the_crawl_holds_the_file_the_page_says_so_and_recovers(tmp_path, monkeypatch):
    city = fx.build(tmp_path / "p.duckdb", runs=2)
    at = open_app(city.path, monkeypatch)
    monkeypatch.setattr(data, "READ_WAIT", 0.3)
    holder = subprocess.Popen(  # another process writing, as the crawl does
        [sys.executable, "-c",
         "import sys\nfrom warehouse import db\nwith db.writing(sys.argv[1]):\n"
         "    print('held', flush=True)\n    sys.stdin.readline()\n", str(city.path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=APP.parents[1],
    )
    try:
        assert holder.stdout.readline().strip() == b"held"
        at.run()
        assert not at.exception
        warnings = " ".join(w.value for w in at.warning)
        assert "sedang diperbarui" in warnings  # the last snapshot is kept
    finally:
        holder.stdin.write(b"\n")
        holder.stdin.close()
        holder.wait(30)
    at.run()
    assert not at.exception and not at.warning
    assert len(re.findall(r'data-agency="', at.get("html")[1].proto.body)) == len(fx.AGENCIES)


def test_agency_page_offers_the_monev_sheet_and_shows_official_results(tmp_path, monkeypatch):
    from warehouse.reports import monev

    city = fx.build(tmp_path / "p.duckdb", runs=1, reminders=False)
    with db.writing(city.path) as con:
        monev.record_results(con, [monev.OfficialResult("dinkes", 2025, 72.5,
                                                        "Cukup Informatif", "KI")])
    at = open_app(city.path, monkeypatch, "badan_publik", agency="dinkes")
    assert not at.exception
    captions = " ".join(c.value for c in at.caption)
    assert "Hasil resmi Monev Komisi Informasi: 2025: Cukup Informatif (72,5)" in captions
    assert "perkiraan dari informasi yang terlihat di situs" in captions
    labels_shown = {b.label for b in at.get("download_button")}
    assert {"Lembar bukti Monev (Excel)", "Lembar bukti Monev (PDF)",
            "Unduh laporan badan publik (PDF)"} <= labels_shown


def test_the_sidebar_and_the_run_pickers_name_each_runs_crawl(tmp_path, monkeypatch):
    city = fx.build(tmp_path / "pantau.duckdb")
    with db.writing(city.path) as con:  # run 3: one agency crawled fully, the others smartly
        con.execute("UPDATE agency_runs SET crawl_mode = 'smart' WHERE run_id = 3")
        con.execute("UPDATE agency_runs SET crawl_mode = 'full', crawl_reason = 'jadwal crawl penuh' "
                    "WHERE run_id = 3 AND agency_id = (SELECT min(agency_id) FROM agency_runs "
                    "WHERE run_id = 3)")
        smart = db.scalar(con, "SELECT count(*) - 1 FROM agency_runs WHERE run_id = 3")
    at = open_app(city.path, monkeypatch, "perubahan")
    sidebar = " ".join(c.value for c in at.sidebar.caption)
    assert f"crawl campuran ({smart} cerdas, 1 penuh)" in sidebar
    options = at.selectbox[1].options
    assert any(o.startswith(f"Putaran #3 (crawl campuran ({smart} cerdas, 1 penuh))") for o in options)
    assert any(o.startswith("Putaran #2 (crawl penuh)") for o in options)
    at.switch_page("views/kesehatan.py").run()
    assert not at.exception
    shown = [str(v) for frame in at.dataframe for v in frame.value.get("crawl_label", [])]
    assert "Penuh: jadwal crawl penuh" in shown and "Cerdas" in shown
