"""Ringkasan: who is failing, what they lack, and whether the city is on course — above the
fold — then the numbers, the charts and the report to hand over."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import charts, labels, standings, ui
from warehouse.reports import content

d = ui.current_data()
current, previous = d.kpis()
latest = d.completed_runs().iloc[0]
lines = d.standings()
scored = [a.score for a in lines if a.score is not None]
average = round(sum(scored) / len(scored), 2) if scored else None
informatif = sum(1 for a in lines if a.band == labels.BAND_NAMES[0])

st.title("Ringkasan kepatuhan PPID")
st.caption(f"Putaran #{int(latest['run_id'])}, selesai {ui.when(latest['finished_at'])}. "
           + ("Perubahan dibandingkan putaran sebelumnya." if previous else
              "Belum ada putaran sebelumnya untuk dibandingkan."))
city_band = labels.band_label(content.band(average) if average is not None else None)
st.html(standings.lead_html(content.city_sentence(average, len(lines), informatif), city_band))

st.subheader("Badan publik, skor terendah dahulu")
st.html(standings.standings_html(lines))
st.caption("Klik nama badan publik untuk melihat rinciannya. Warna skor = predikat; "
           "di bawah nama: kategori terpenting yang belum ditemukan.")

left, right, _ = st.columns([1, 1, 2])
left.download_button(
    "Unduh laporan kota (PDF)", data=lambda: d.report("pdf"),
    file_name=f"laporan-kota-putaran-{int(latest['run_id'])}.pdf", mime="application/pdf",
    key="city_report_pdf", on_click="ignore", icon=":material/picture_as_pdf:")
right.download_button(
    "Unduh laporan kota (HTML, siap cetak)", data=lambda: d.report("html"),
    file_name=f"laporan-kota-putaran-{int(latest['run_id'])}.html", mime="text/html",
    key="city_report_html", on_click="ignore", icon=":material/print:")

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



def ranking_export() -> pd.DataFrame:
    """The ranking as downloaded (built only when a download button is pressed)."""
    ranking = d.ranking()
    ranking["checked_text"] = ranking["checked_at"].map(ui.when)
    ranking["gaps"] = ranking["agency_id"].map(
        {a.agency_id: content.gap_sentence(a) for a in lines})
    return ui.export_frame(ranking, {
        "rank": "Peringkat", "name": "Badan Publik", "role_label": "Peran",
        "score": "Skor", "band_label": "Predikat", "delta": "Perubahan",
        "gaps": "Kekurangan utama", "checked_text": "Terakhir diperiksa"})


ui.download_buttons(ranking_export, key="ranking", file_stem="peringkat-badan-publik")
