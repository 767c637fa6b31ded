"""Kesehatan Situs: each site's latest run against its previous one — a site that changed
("situs berubah": its drops and reminders are held for review) or could not be reached (its
last known findings stay shown, with their age)."""

from __future__ import annotations

import streamlit as st

from dashboard import labels, ui

d = ui.current_data()
health = d.site_health()

st.title("Kesehatan Situs")
st.caption("Setiap putaran dibandingkan dengan putaran sebelumnya: halaman yang terjangkau, "
           "dokumen, kategori yang ditemukan, platform, dan berapa bukti lama yang masih dapat "
           "dibuka. Penurunan tajam sementara bukti lama masih dapat dibuka, atau platform baru, "
           "berarti situsnya berubah — bukan isinya hilang: penurunan dan pengingat badan publik "
           "itu ditahan sampai ditinjau.")

changed = health[health["site_changed"].astype(bool)] if not health.empty else health
down = health[~health["reachable"].astype(bool)] if not health.empty else health
cols = st.columns(3)
cols[0].metric("Badan publik", len(health), border=True)
cols[1].metric(labels.SITE_CHANGED, len(changed), border=True)
cols[2].metric(labels.NO_SCORE, len(down), border=True)

if not changed.empty:
    st.subheader(labels.SITE_CHANGED)
    for _, row in changed.iterrows():
        st.warning(f"**{ui.text(row['name'])}** — {ui.text(row['health_note'] or '')}. "
                   "Penurunan dan pengingat ditahan untuk ditinjau.")

if not down.empty:
    st.subheader(f"Situs {labels.NO_SCORE.lower()}")
    st.caption("Temuan terakhir yang diketahui tetap ditampilkan dengan umurnya; situs ini tidak "
               "dihitung sebagai tidak mempublikasikan.")
    ui.table(down, key="health_down", file_stem="situs-tidak-terjangkau", columns={
        "name": st.column_config.TextColumn("Badan Publik", width="medium"),
        "error": st.column_config.TextColumn("Alasan", width="medium"),
        "last_seen_label": st.column_config.TextColumn("Temuan terakhir"),
        "last_seen_at": st.column_config.DatetimeColumn("Terakhir terjangkau",
                                                        format="YYYY-MM-DD"),
        "unreachable_since": st.column_config.DatetimeColumn("Tidak terjangkau sejak",
                                                             format="YYYY-MM-DD"),
        "unreachable_runs": st.column_config.NumberColumn("Putaran tak terjangkau", format="%d"),
    })

st.subheader("Semua situs")
ui.table(health, key="health_all", file_stem="kesehatan-situs", columns={
    "name": st.column_config.TextColumn("Badan Publik", width="medium"),
    "state_label": st.column_config.TextColumn("Keadaan"),
    "pages": st.column_config.NumberColumn("Halaman", format="%d"),
    "previous_pages": st.column_config.NumberColumn("Halaman sebelumnya", format="%d"),
    "documents": st.column_config.NumberColumn("Dokumen", format="%d"),
    "previous_documents": st.column_config.NumberColumn("Dokumen sebelumnya", format="%d"),
    "categories_found": st.column_config.NumberColumn("Kategori ditemukan", format="%d"),
    "previous_categories_found": st.column_config.NumberColumn("Sebelumnya", format="%d"),
    "platform": st.column_config.TextColumn("Platform"),
    "previous_platform": st.column_config.TextColumn("Platform sebelumnya"),
    "alive_share": st.column_config.ProgressColumn("Bukti lama masih terbuka", format="percent",
                                                   min_value=0.0, max_value=1.0),
    "crawl_label": st.column_config.TextColumn("Crawl putaran ini", width="medium"),
    "health_note": st.column_config.TextColumn("Catatan", width="large"),
})

history = d.site_changes()
if not history.empty:
    st.subheader(f"Riwayat \"{labels.SITE_CHANGED.lower()}\"")
    ui.table(history, key="health_history", file_stem="riwayat-situs-berubah", columns={
        "run_id": st.column_config.NumberColumn("Putaran", format="%d"),
        "checked_at": st.column_config.DatetimeColumn("Diperiksa", format="YYYY-MM-DD HH:mm"),
        "name": st.column_config.TextColumn("Badan Publik", width="medium"),
        "previous_platform": st.column_config.TextColumn("Platform sebelumnya"),
        "platform": st.column_config.TextColumn("Platform"),
        "health_note": st.column_config.TextColumn("Catatan", width="large"),
    })
