"""Plotly figures for the dashboard: pure functions from DataFrames to figures.

Names that come from the registry or a crawl go through ``labels.plotly_escape`` so that
Plotly shows them as text (Plotly reads a few HTML-like tags in labels).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from core import formats
from dashboard import labels

SCORE_RANGE = (0, 100)
FONT = dict(family="Source Sans Pro, sans-serif")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
MAX_DATE_TICKS = 10
ZONE = formats.DEFAULT_ZONE
"""The zone dates are labelled in (the app sets it from ``schedule.timezone``)."""


def date_label(value) -> str:
    """``2 Nov 2026`` with Indonesian month abbreviations (Plotly's own are English), the
    day as it is in the display zone (WIB)."""
    return formats.day(value, ZONE, short=True)


def _date_axis(fig: go.Figure, dates: pd.Series) -> None:
    """Ticks at the runs' dates (at most ``MAX_DATE_TICKS``), labelled in Indonesian."""
    values = sorted(pd.to_datetime(dates.dropna()).unique())
    if not values:
        return
    step = max(1, -(-len(values) // MAX_DATE_TICKS))
    ticks = values[::-1][::step][::-1]  # always keep the newest run
    fig.update_xaxes(tickmode="array", tickvals=ticks, ticktext=[date_label(t) for t in ticks])


def _layout(fig: go.Figure, *, height: int = 360, **extra) -> go.Figure:
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=40, b=10), font=FONT,
                      separators=",.", **extra)
    return fig


def add_band_guides(fig: go.Figure) -> go.Figure:
    """The Komisi Informasi bands on a 0–100 score axis: a dotted line at each lower bound
    (40, 60, 80, 90) labelled with the band above it, and the lowest band labelled at 0."""
    for lower, name in labels.BAND_THRESHOLDS:
        fig.add_hline(
            y=lower, line_dash="dot", line_width=1, line_color=labels.BAND_COLORS[name],
            annotation_text=f"{name} (≥ {lower:g})", annotation_position="top left",
            annotation_font_size=11, annotation_font_color="#555555",
        )
    lowest = labels.BAND_NAMES[-1]
    fig.add_annotation(
        x=0, xref="paper", y=0, yref="y", yanchor="bottom", xanchor="left", showarrow=False,
        text=f"{lowest} (< {labels.BAND_THRESHOLDS[-1][0]:g})",
        font=dict(size=11, color="#555555"),
    )
    fig.update_yaxes(range=[0, 102])
    return fig


def band_distribution(counts: pd.DataFrame) -> go.Figure:
    """Horizontal bars: agencies per band (best on top), unreachable last.
    ``counts`` has columns band, agencies (``data.band_counts_frame``)."""
    bands = counts["band"].tolist()
    fig = go.Figure(go.Bar(
        x=counts["agencies"], y=bands, orientation="h",
        marker_color=[labels.BAND_COLORS.get(b, "#999999") for b in bands],
        text=counts["agencies"], textposition="auto",
        hovertemplate="%{y}: %{x} badan publik<extra></extra>",
    ))
    fig.update_yaxes(autorange="reversed", title=None)
    fig.update_xaxes(title="Jumlah badan publik", rangemode="tozero", dtick=1 if
                     counts["agencies"].max() <= 10 else None)
    return _layout(fig, height=300, title="Sebaran predikat")


def city_history(history: pd.DataFrame) -> go.Figure:
    """The average score of all reachable agencies per run (``city_history`` query)."""
    fig = go.Figure(go.Scatter(
        x=history["checked_at"], y=history["average_score"], mode="lines+markers",
        name="Rata-rata skor", line=dict(color="#1565c0", width=3),
        customdata=list(zip(history["run_id"], history["checked_at"].map(date_label),
                            history["agencies"], history["unreachable"], strict=True)),
        hovertemplate=("Putaran #%{customdata[0]}<br>%{customdata[1]}<br>Rata-rata skor: %{y:.1f}"
                       "<br>Diperiksa: %{customdata[2]} · tidak terjangkau: %{customdata[3]}"
                       "<extra></extra>"),
    ))
    add_band_guides(fig)
    _date_axis(fig, history["checked_at"])
    fig.update_yaxes(title="Skor rata-rata")
    fig.update_xaxes(title=None)
    return _layout(fig, title="Skor rata-rata seluruh badan publik", showlegend=False)


def score_history(history: pd.DataFrame, agency_name: str) -> go.Figure:
    """One agency's score per run (``agency_history`` query) with the band guides; runs in
    which the site was unreachable are gaps in the line and marked at the bottom."""
    fig = go.Figure(go.Scatter(
        x=history["checked_at"], y=history["score"], mode="lines+markers",
        name="Skor", line=dict(color="#1565c0", width=3), connectgaps=False,
        customdata=list(zip(history["run_id"], history["checked_at"].map(date_label),
                            strict=True)),
        hovertemplate="Putaran #%{customdata[0]}<br>%{customdata[1]}<br>Skor: %{y:.1f}<extra></extra>",
    ))
    down = history[history["score"].isna()]
    if not down.empty:
        fig.add_trace(go.Scatter(
            x=down["checked_at"], y=[1] * len(down), mode="markers", name="Tidak terjangkau",
            marker=dict(symbol="x", size=10, color=labels.BAND_COLORS[labels.NO_SCORE]),
            customdata=[date_label(t) for t in down["checked_at"]],
            hovertemplate="%{customdata}: situs tidak terjangkau<extra></extra>",
        ))
    add_band_guides(fig)
    _date_axis(fig, history["checked_at"])
    fig.update_yaxes(title="Skor")
    fig.update_xaxes(title=None)
    return _layout(fig, title=f"Riwayat skor — {labels.plotly_escape(agency_name)}",
                   showlegend=not down.empty)


TOTAL_ROW = "Jumlah ditemukan"
AXIS_NAME_LIMIT = 38


def short_name(name: str, limit: int = AXIS_NAME_LIMIT) -> str:
    """A category name short enough for an axis label (the hover shows it in full)."""
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def _overridden_cells(rows: pd.DataFrame) -> set[tuple[str, str]]:
    """The (agency, category) cells whose status is a reviewer's override (marked ✎)."""
    if "status_source" not in rows.columns:
        return set()
    marked = rows[rows["status_source"] == labels.SOURCE_OVERRIDE]
    return set(zip(marked["agency_id"], marked["category_id"], strict=True))


def status_heatmap(rows: pd.DataFrame, agency_order: list[str]) -> go.Figure:
    """Agencies (rows, in ``agency_order``) × categories (columns, checklist order, by their
    Indonesian names), each cell coloured by its latest status and marked with the status's
    glyph (readable without colour); a last row counts the agencies that publish each
    category. ``rows`` are ``matrix`` query rows."""
    statuses = list(labels.STATUSES)
    codes = {s: i for i, s in enumerate(statuses)}
    named = "category_name" in rows.columns
    categories = (rows.sort_values("position")
                  .drop_duplicates("category_id"))
    category_ids = categories["category_id"].tolist()
    full_names = (dict(zip(categories["category_id"], categories["category_name"], strict=True))
                  if named else {c: c for c in category_ids})
    x_labels, seen_x = [], set()
    for c in category_ids:
        label = labels.plotly_escape(short_name(str(full_names[c])))
        if label in seen_x:
            label = f"{label} ({c})"
        seen_x.add(label)
        x_labels.append(label)
    names = rows.drop_duplicates("agency_id").set_index("agency_id")["agency_name"].to_dict()
    cells = rows.set_index(["agency_id", "category_id"])["status"].to_dict()
    overridden = _overridden_cells(rows)
    z, hover, glyphs = [], [], []
    for agency_id in agency_order:
        row = [cells.get((agency_id, c)) for c in category_ids]
        marks = [(agency_id, c) in overridden for c in category_ids]
        z.append([codes.get(s) for s in row])
        glyphs.append([(labels.STATUS_GLYPHS.get(s, "") + (labels.OVERRIDE_MARK if m else ""))
                       if s else "" for s, m in zip(row, marks, strict=True)])
        hover.append([
            [labels.plotly_escape(names.get(agency_id, agency_id)),
             labels.plotly_escape(full_names[c]), labels.shown_status_label(s, True, src)]
            for c, s, src in zip(category_ids, row,
                                 [labels.SOURCE_OVERRIDE if m else None for m in marks],
                                 strict=True)
        ])
    totals = [sum(1 for a in agency_order if cells.get((a, c)) == "found") for c in category_ids]
    z.append([None] * len(category_ids))
    glyphs.append([str(t) for t in totals])
    hover.append([[TOTAL_ROW, labels.plotly_escape(full_names[c]),
                   f"{t} dari {len(agency_order)} badan publik"]
                  for c, t in zip(category_ids, totals, strict=True)])
    n = len(statuses)
    scale = []
    for i, status in enumerate(statuses):
        scale += [(i / n, labels.STATUS_COLORS[status]), ((i + 1) / n, labels.STATUS_COLORS[status])]
    y_labels = [labels.plotly_escape(names.get(a, a)) for a in agency_order]
    # Two agencies may share a name: Plotly would merge their rows, so make labels unique.
    seen: dict[str, int] = {}
    for i, label in enumerate(y_labels):
        seen[label] = seen.get(label, 0) + 1
        if seen[label] > 1:
            y_labels[i] = f"{label} ({agency_order[i]})"
    y_labels.append(TOTAL_ROW)
    fig = go.Figure(go.Heatmap(
        z=z, x=x_labels, y=y_labels, customdata=hover, text=glyphs,
        texttemplate="%{text}", textfont=dict(size=12),
        zmin=-0.5, zmax=n - 0.5, colorscale=scale, xgap=2, ygap=2,
        colorbar=dict(tickvals=list(range(n)),
                      ticktext=[f"{labels.STATUS_GLYPHS[s]} {labels.status_label(s)}"
                                for s in statuses],
                      title="Status"),
        hovertemplate="%{customdata[0]}<br>%{customdata[1]}: %{customdata[2]}<extra></extra>",
    ))
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(type="category", tickangle=-50, side="top")
    height = max(380, 330 + 26 * (len(agency_order) + 1))
    return _layout(fig, height=height)


def score_moves(moves: pd.DataFrame) -> go.Figure:
    """Bars of each agency's score change between two runs (``data.score_moves``)."""
    rows = moves.dropna(subset=["delta"]).sort_values("delta")
    fig = go.Figure(go.Bar(
        x=rows["delta"], y=[labels.plotly_escape(n) for n in rows["agency_name"]],
        orientation="h",
        marker_color=[labels.STATUS_COLORS["found"] if d > 0 else labels.STATUS_COLORS["broken"]
                      for d in rows["delta"]],
        customdata=rows[["from_score", "to_score"]].to_numpy(),
        hovertemplate="%{y}<br>%{customdata[0]:.1f} → %{customdata[1]:.1f} (%{x:+.1f})<extra></extra>",
    ))
    fig.update_xaxes(title="Perubahan skor", zeroline=True)
    fig.update_yaxes(title=None, type="category")
    return _layout(fig, height=max(260, 120 + 28 * len(rows)), title="Perubahan skor")


def reminders_per_run(reminders: pd.DataFrame) -> go.Figure:
    """Stacked bars: reminders per run by status (``reminders_log`` query)."""
    counts = (reminders.groupby(["run_id", "status"]).size().rename("n").reset_index())
    fig = go.Figure()
    for status, label in labels.REMINDER_STATUS_LABELS.items():
        part = counts[counts["status"] == status]
        if part.empty:
            continue
        fig.add_trace(go.Bar(
            x=[f"#{r}" for r in part["run_id"]], y=part["n"], name=label,
            marker_color=labels.REMINDER_STATUS_COLORS[status],
            hovertemplate=f"Putaran %{{x}}<br>{label}: %{{y}}<extra></extra>",
        ))
    fig.update_layout(barmode="stack")
    order = [f"#{r}" for r in sorted(counts["run_id"].unique())]
    fig.update_xaxes(title="Putaran", type="category", categoryorder="array", categoryarray=order)
    fig.update_yaxes(title="Jumlah pengingat", rangemode="tozero")
    return _layout(fig, height=300, title="Pengingat per putaran")
