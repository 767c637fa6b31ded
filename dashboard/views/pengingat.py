"""Pengingat: the reminders log — who was reminded of what, and whether it went out."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, data, labels, ui

d = ui.current_data()
reminders = d.reminders()

st.title("Pengingat")
st.caption("Pengingat kepada PPID tentang informasi wajib yang belum ditemukan, rusak atau "
           "kedaluwarsa pada putaran terakhir.")

silent = d.without_email()
if not silent.empty:
    st.warning(f"{len(silent)} badan publik tidak menerima pengingat karena alamat e-mailnya "
               "kosong di registry. Lengkapi kolom email agar tidak ada yang terlewat.")
    ui.table(silent, key="without_email", file_stem="badan-publik-tanpa-email", columns={
        "name": st.column_config.TextColumn("Badan Publik", width="medium"),
        "role_label": st.column_config.TextColumn("Peran"),
        "parent_name": st.column_config.TextColumn("PPID Utama (induk)"),
    }, height=ui.fit_height(len(silent)))

if reminders.empty:
    st.info("Belum ada pengingat.")
    st.stop()

reminders["created_text"] = reminders["created_at"].map(ui.when)
reminders["sent_text"] = reminders["sent_at"].map(ui.when)
counts = data.reminder_counts(reminders)
cols = st.columns(1 + len(counts))
cols[0].metric("Jumlah pengingat", len(reminders), border=True)
for col, (status, n) in zip(cols[1:], counts.items(), strict=True):
    col.metric(labels.REMINDER_STATUS_LABELS[status], n, border=True)

st.plotly_chart(charts.reminders_per_run(reminders), width="stretch", key="reminders_per_run")

ui.table(
    reminders, key="reminders", file_stem="log-pengingat",
    columns={
        "created_text": st.column_config.TextColumn("Dibuat"),
        "agency_name": st.column_config.TextColumn("Badan Publik", width="medium"),
        "run_id": st.column_config.NumberColumn("Putaran", format="%d"),
        "kind": st.column_config.TextColumn("Jenis"),
        "subject": st.column_config.TextColumn("Perihal", width="medium"),
        "channel": st.column_config.TextColumn("Saluran"),
        "recipients": st.column_config.TextColumn("Penerima"),
        "cc": st.column_config.TextColumn("Tembusan"),
        "categories": st.column_config.TextColumn("Kategori", width="medium"),
        "status_label": st.column_config.TextColumn("Status"),
        "reason": st.column_config.TextColumn("Alasan"),
        "error": st.column_config.TextColumn("Galat"),
        "attempts": st.column_config.NumberColumn("Percobaan", format="%d"),
        "sent_text": st.column_config.TextColumn("Terkirim"),
    },
)
