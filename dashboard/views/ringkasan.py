"""Ringkasan: the city at a glance — KPIs, band distribution, ranking, score over time."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, labels, ui
from dashboard.data import TREND_RUNS

d = ui.current_data()
current, previous = d.kpis()
latest = d.completed_runs().iloc[0]

st.title("Ringkasan kepatuhan PPID")
st.caption(f"Putaran #{int(latest['run_id'])}, selesai {ui.when(latest['finished_at'])}. "
           + ("Perubahan dibandingkan putaran sebelumnya." if previous else
              "Belum ada putaran sebelumnya untuk dibandingkan."))

before = previous
cols = st.columns(3)
cols[0].metric("Badan publik dipantau", current.agencies,
               ui.delta(current.agencies, before.agencies if before else None, 0), border=True)
cols[1].metric("Rata-rata skor", ui.score_text(current.average),
               ui.delta(current.average, before.average if before else None), border=True,
               help="Rata-rata skor (0–100) badan publik yang situsnya dapat dijangkau.")
cols[2].metric("Situs tidak terjangkau", current.unreachable,
               ui.delta(current.unreachable, before.unreachable if before else None, 0),
               delta_color="inverse", border=True,
               help="Tidak dihitung sebagai tidak mempublikasikan: statusnya belum diketahui.")

st.subheader("Jumlah badan publik per predikat")
band_cols = st.columns(len(labels.BAND_NAMES))
good = {"Informatif": "normal", "Menuju Informatif": "normal", "Cukup Informatif": "off"}
for col, band in zip(band_cols, labels.BAND_NAMES, strict=True):
    col.metric(band, current.bands[band],
               ui.delta(current.bands[band], before.bands[band] if before else None, 0),
               delta_color=good.get(band, "inverse"), border=True)

left, right = st.columns([2, 3])
with left:
    st.plotly_chart(charts.band_distribution(d.band_counts()), width="stretch",
                    key="band_distribution")
with right:
    st.plotly_chart(charts.city_history(d.city_history()), width="stretch", key="city_history")

st.subheader("Peringkat badan publik")
ranking = d.ranking()
ui.table(
    ranking, key="ranking", file_stem="peringkat-badan-publik",
    columns={
        "rank": st.column_config.NumberColumn("Peringkat", format="%d", width="small"),
        "name": st.column_config.TextColumn("Badan Publik", width="medium"),
        "role_label": st.column_config.TextColumn("Peran"),
        "score": st.column_config.ProgressColumn("Skor", min_value=0, max_value=100,
                                                 format="%.1f"),
        "band_label": st.column_config.TextColumn("Predikat"),
        "delta": st.column_config.NumberColumn("Perubahan", format="%+.1f",
                                               help="Dibanding hasil sebelumnya"),
        "trend": st.column_config.LineChartColumn(
            "Tren", y_min=0, y_max=100, width=100,
            help=f"Skor pada {TREND_RUNS} putaran terakhir"),
        "checked_at": st.column_config.DatetimeColumn("Terakhir diperiksa",
                                                      format="YYYY-MM-DD"),
    },
)
