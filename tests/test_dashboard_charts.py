"""The dashboard's Plotly figures and downloads: pure functions over DataFrames."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

import openpyxl
import pandas as pd

from dashboard import charts, downloads, labels


def history(scores):
    return pd.DataFrame({
        "run_id": list(range(1, len(scores) + 1)),
        "checked_at": [datetime(2026, 1, 5) + timedelta(days=7 * i) for i in range(len(scores))],
        "score": scores,
        "band": [None] * len(scores),
    })


def test_score_history_draws_the_four_band_lines_and_names_all_five_bands():
    fig = charts.score_history(history([35.0, 62.5, 91.0]), "Dinas <b>Uji</b>")
    lines = sorted(s.y0 for s in fig.layout.shapes if s.y0 == s.y1)
    assert lines == [40, 60, 80, 90]
    texts = [a.text for a in fig.layout.annotations]
    for lower, name in labels.BAND_THRESHOLDS:
        assert f"{name} (≥ {lower:g})" in texts
    assert "Tidak Informatif (< 40)" in texts
    assert list(fig.data[0].y) == [35.0, 62.5, 91.0]
    assert tuple(fig.layout.yaxis.range) == (0, 102)
    assert "Dinas &lt;b&gt;Uji&lt;/b&gt;" in fig.layout.title.text  # shown as text, not bold
    assert len(fig.data) == 1  # no unreachable runs, no extra trace


def test_score_history_marks_unreachable_runs_and_labels_dates_in_indonesian():
    fig = charts.score_history(history([50.0, None, 70.0]), "A")
    assert [t.name for t in fig.data] == ["Skor", "Tidak terjangkau"]
    assert list(fig.data[1].customdata) == ["12 Jan 2026"]
    assert list(fig.layout.xaxis.ticktext) == ["5 Jan 2026", "12 Jan 2026", "19 Jan 2026"]
    assert charts.date_label(datetime(2026, 8, 17)) == "17 Agu 2026"


def test_date_ticks_are_thinned_but_keep_the_newest_run():
    fig = charts.score_history(history([50.0] * 30), "A")
    ticks = list(fig.layout.xaxis.ticktext)
    assert len(ticks) <= charts.MAX_DATE_TICKS
    assert ticks[-1] == charts.date_label(history([50.0] * 30)["checked_at"].iloc[-1])


def test_band_distribution_colours_each_band():
    counts = pd.DataFrame({"band": [*labels.BAND_NAMES, labels.NO_SCORE],
                           "agencies": [1, 2, 0, 4, 5, 1]})
    fig = charts.band_distribution(counts)
    bar = fig.data[0]
    assert list(bar.y) == [*labels.BAND_NAMES, labels.NO_SCORE]
    assert list(bar.x) == [1, 2, 0, 4, 5, 1]
    assert list(bar.marker.color) == [labels.BAND_COLORS[b] for b in bar.y]


def test_city_history_line():
    frame = pd.DataFrame({"run_id": [1, 2], "checked_at": [datetime(2026, 1, 5),
                                                           datetime(2026, 1, 12)],
                          "average_score": [55.5, 61.0], "agencies": [10, 10],
                          "unreachable": [0, 2]})
    fig = charts.city_history(frame)
    assert list(fig.data[0].y) == [55.5, 61.0]
    assert [list(c) for c in fig.data[0].customdata] == [[1, "5 Jan 2026", 10, 0],
                                                         [2, "12 Jan 2026", 10, 2]]


def matrix(statuses: dict[str, dict[str, str]]):
    rows = []
    for agency, by_cat in statuses.items():
        for pos, (cat, status) in enumerate(by_cat.items()):
            rows.append({"agency_id": agency, "agency_name": agency.upper(), "category_id": cat,
                         "category_group": "berkala", "position": pos, "status": status})
    return pd.DataFrame(rows)


def test_status_heatmap_has_one_discrete_colour_per_status():
    rows = matrix({"a": {"c1": "found", "c2": "stale"},
                   "b": {"c1": "broken", "c2": "missing"},
                   "<i>x</i>": {"c1": "unreachable", "c2": "unreachable"}})
    fig = charts.status_heatmap(rows, ["b", "a", "<i>x</i>"])
    heat = fig.data[0]
    assert list(heat.y) == ["B", "A", "&lt;I&gt;X&lt;/I&gt;", charts.TOTAL_ROW]
    assert list(heat.x) == ["c1", "c2"]
    codes = {s: i for i, s in enumerate(labels.STATUSES)}
    assert [list(r) for r in heat.z] == [[codes["broken"], codes["missing"]],
                                         [codes["found"], codes["stale"]],
                                         [codes["unreachable"], codes["unreachable"]],
                                         [None, None]]
    # Each status owns a band of the colour scale holding exactly its colour.
    n = len(labels.STATUSES)
    for status, code in codes.items():
        lo, hi = code / n, (code + 1) / n
        inside = {color for stop, color in heat.colorscale if lo <= stop <= hi and
                  (stop, color) in {(lo, labels.STATUS_COLORS[status]),
                                    (hi, labels.STATUS_COLORS[status])}}
        assert inside == {labels.STATUS_COLORS[status]}
    assert (heat.zmin, heat.zmax) == (-0.5, n - 0.5)
    assert list(heat.colorbar.ticktext) == [f"{labels.STATUS_GLYPHS[s]} {labels.STATUS_LABELS[s]}"
                                            for s in labels.STATUSES]
    assert heat.customdata[0][0][2] == "Tautan rusak"


def test_heatmap_keeps_two_agencies_with_the_same_name_apart():
    rows = matrix({"a": {"c1": "found"}, "b": {"c1": "missing"}})
    rows["agency_name"] = "Dinas Sama"
    fig = charts.status_heatmap(rows, ["a", "b"])
    assert list(fig.data[0].y) == ["Dinas Sama", "Dinas Sama (b)", charts.TOTAL_ROW]


def test_heatmap_cells_carry_glyphs_names_and_column_totals():
    rows = matrix({"a": {"c1": "found", "c2": "broken"}, "b": {"c1": "found", "c2": "missing"}})
    rows["category_name"] = rows["category_id"].map(
        {"c1": "Profil badan publik", "c2": "Daftar Informasi yang Dikecualikan dan penetapan "
                                            "uji konsekuensi"})
    heat = charts.status_heatmap(rows, ["a", "b"]).data[0]
    assert list(heat.x) == ["Profil badan publik", charts.short_name(
        "Daftar Informasi yang Dikecualikan dan penetapan uji konsekuensi")]
    assert heat.x[1].endswith("…") and len(heat.x[1]) <= charts.AXIS_NAME_LIMIT
    assert [list(r) for r in heat.text] == [["✓", "R"], ["✓", "✗"], ["2", "0"]]
    assert heat.texttemplate == "%{text}"
    assert heat.customdata[1][1][1].startswith("Daftar Informasi yang Dikecualikan")


def test_score_moves_and_reminder_charts():
    moves = pd.DataFrame({"agency_name": ["A", "B", "C"], "delta": [5.0, -3.0, None],
                          "from_score": [50.0, 60.0, 70.0], "to_score": [55.0, 57.0, None]})
    fig = charts.score_moves(moves)
    assert list(fig.data[0].x) == [-3.0, 5.0]
    assert list(fig.data[0].marker.color) == [labels.STATUS_COLORS["broken"],
                                              labels.STATUS_COLORS["found"]]
    reminders = pd.DataFrame({"run_id": [10, 2, 2, 10], "status": ["sent", "sent", "failed",
                                                                   "skipped"]})
    fig = charts.reminders_per_run(reminders)
    assert [t.name for t in fig.data] == ["Terkirim", "Gagal", "Dilewati"]
    assert list(fig.layout.xaxis.categoryarray) == ["#2", "#10"]
    sent = fig.data[0]
    assert dict(zip(sent.x, sent.y, strict=True)) == {"#2": 1, "#10": 1}


def test_downloads_neutralise_formulas_and_keep_the_text():
    frame = pd.DataFrame({
        "Badan Publik": ["=HYPERLINK(\"http://evil\",\"x\")", "Dinas <script>", "-1+2", "@SUM(A1)"],
        "Skor": [10.5, None, 3.0, 4.0],
        "Tren": [[1.0, 2.0], [], [3.0], None],
        "Waktu": [datetime(2026, 1, 5)] * 4,
    })
    csv = downloads.to_csv(frame).decode("utf-8-sig")
    back = pd.read_csv(io.StringIO(csv))
    assert list(back["Badan Publik"]) == ["'=HYPERLINK(\"http://evil\",\"x\")", "Dinas <script>",
                                          "'-1+2", "'@SUM(A1)"]
    assert list(back["Tren"].fillna("")) == ["1.0, 2.0", "", "3.0", ""]
    book = openpyxl.load_workbook(io.BytesIO(downloads.to_excel(frame, "peringkat")))
    sheet = book["peringkat"]
    assert [c.value for c in sheet[1]] == ["Badan Publik", "Skor", "Tren", "Waktu"]
    first = sheet["A2"]
    assert first.data_type == "s" and first.value.startswith("'=")  # text, not a formula
    assert sheet["B2"].value == 10.5 and sheet["D2"].value == datetime(2026, 1, 5)
    assert frame["Badan Publik"].iloc[0].startswith("=")  # the shown frame is untouched
