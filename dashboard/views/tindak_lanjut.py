"""Tindak Lanjut: after each reminder, which of the lacking categories became found and when
— time to fix per agency and per category, the share fixed by the reply-by date, and the
agencies that never respond."""

from __future__ import annotations

import streamlit as st

from dashboard import ui

d = ui.current_data()
agencies = d.followup_agencies()

st.title("Tindak Lanjut Pengingat")
st.caption("Untuk setiap pengingat: kategori yang diminta, kapan kategori itu ditemukan pada "
           "putaran berikutnya, dan apakah sebelum batas waktu tanggapan yang disebut dalam "
           "pengingat.")

if agencies.empty:
    st.info("Belum ada pengingat terkirim; tindak lanjut tampil setelah pengingat pertama.")
    st.stop()

reminded = int(agencies["categories_reminded"].sum())
fixed = int(agencies["fixed"].sum())
on_time = int(agencies["fixed_by_reply_by"].sum())
silent = agencies[agencies["never_responded"].fillna(False).astype(bool)]
cols = st.columns(4)
cols[0].metric("Kategori diingatkan", reminded, border=True)
cols[1].metric("Sudah dilengkapi", fixed, border=True)
cols[2].metric("Dilengkapi sebelum batas waktu",
               f"{on_time / reminded:.0%}" if reminded else "—", border=True)
cols[3].metric("Tidak pernah menanggapi", len(silent), border=True)

if not silent.empty:
    st.warning("Tidak pernah menanggapi (sudah melewati batas waktu, belum ada yang dilengkapi): "
               + ", ".join(ui.text(n) for n in silent["name"]))

st.subheader("Per badan publik")
ui.table(agencies, key="followup_agencies", file_stem="tindak-lanjut-badan-publik", columns={
    "name": st.column_config.TextColumn("Badan Publik", width="medium"),
    "reminders": st.column_config.NumberColumn("Pengingat", format="%d"),
    "categories_reminded": st.column_config.NumberColumn("Kategori diminta", format="%d"),
    "fixed": st.column_config.NumberColumn("Dilengkapi", format="%d"),
    "share_fixed_by_reply_by": st.column_config.ProgressColumn(
        "Dilengkapi sebelum batas", format="percent", min_value=0.0, max_value=1.0),
    "median_days_to_fix": st.column_config.NumberColumn("Median hari sampai dilengkapi",
                                                        format="%.1f"),
    "open_past_reply_by": st.column_config.NumberColumn("Lewat batas, belum dilengkapi",
                                                        format="%d"),
    "last_reminded_at": st.column_config.DatetimeColumn("Pengingat terakhir",
                                                        format="YYYY-MM-DD"),
    "never_responded": st.column_config.CheckboxColumn("Tidak pernah menanggapi"),
})

st.subheader("Per kategori")
ui.table(d.followup_categories(), key="followup_categories",
         file_stem="tindak-lanjut-kategori", columns={
    "name": st.column_config.TextColumn("Kategori", width="large"),
    "times_reminded": st.column_config.NumberColumn("Kali diminta", format="%d"),
    "agencies": st.column_config.NumberColumn("Badan publik", format="%d"),
    "fixed": st.column_config.NumberColumn("Dilengkapi", format="%d"),
    "share_fixed_by_reply_by": st.column_config.ProgressColumn(
        "Dilengkapi sebelum batas", format="percent", min_value=0.0, max_value=1.0),
    "median_days_to_fix": st.column_config.NumberColumn("Median hari sampai dilengkapi",
                                                        format="%.1f"),
})
