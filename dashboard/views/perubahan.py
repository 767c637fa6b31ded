"""Perubahan: what changed between two runs (defaults: the last two)."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, data, labels, ui

d = ui.current_data()
runs = d.completed_runs()

st.title("Perubahan antarputaran")
if len(runs) < 2:
    st.info("Baru ada satu putaran pemantauan; perubahan tampil setelah putaran berikutnya.")
    st.stop()

run_ids = [int(r) for r in runs["run_id"]]  # newest first
finished = dict(zip(run_ids, runs["finished_at"], strict=True))
crawls = {int(r["run_id"]): labels.crawl_label(r.get("crawl_mode"), int(r.get("full_crawls") or 0),
                                               int(r.get("smart_crawls") or 0))
          for _, r in runs.iterrows()}


def run_label(run_id: int) -> str:
    """How a run is named in the run pickers (with its crawl: cerdas, penuh or campuran)."""
    crawl = f" ({crawls[run_id]})" if crawls.get(run_id) else ""
    return f"Putaran #{run_id}{crawl} — {ui.when(finished[run_id])}"


# Keys carry the newest run: when a new run arrives the defaults move to the last two again.
latest = run_ids[0]
c1, c2 = st.columns(2)
from_run = c1.selectbox("Dari putaran", run_ids, index=1, format_func=run_label,
                        key=f"changes_from_{latest}")
to_run = c2.selectbox("Ke putaran", run_ids, index=0, format_func=run_label,
                      key=f"changes_to_{latest}")
if from_run == to_run:
    st.warning("Pilih dua putaran yang berbeda.")
    st.stop()
if from_run > to_run:
    st.caption("Putaran awal lebih baru dari putaran akhir: perubahan ditampilkan mundur.")

changes = d.changes(from_run, to_run)
moves = d.score_changes(from_run, to_run)
counts = data.change_counts(changes)

shown = [c for c in labels.CHANGES if c != "other" or counts[c]]
cols = st.columns(len(shown))
for col, change in zip(cols, shown, strict=True):
    col.metric(labels.CHANGE_LABELS[change], counts[change], border=True)

st.subheader("Perubahan skor")
if moves.empty:
    st.info("Tidak ada skor yang berubah di antara kedua putaran ini.")
else:
    if moves["delta"].notna().any():
        st.plotly_chart(charts.score_moves(moves), width="stretch", key="score_moves")
    ui.table(
        moves, key="score_moves", file_stem=f"perubahan-skor-{from_run}-{to_run}",
        columns={
            "agency_name": st.column_config.TextColumn("Badan Publik", width="large"),
            "from_score": st.column_config.NumberColumn("Skor awal", format="%.1f"),
            "to_score": st.column_config.NumberColumn("Skor akhir", format="%.1f"),
            "delta": st.column_config.NumberColumn("Perubahan", format="%+.1f"),
            "from_band_label": st.column_config.TextColumn("Predikat awal"),
            "to_band_label": st.column_config.TextColumn("Predikat akhir"),
        },
    )

st.subheader("Perubahan status kategori")
show_unconfirmed = st.toggle(
    "Tampilkan juga perubahan yang belum dikonfirmasi", value=False, key="changes_unconfirmed",
    help="Penurunan dari ditemukan/kedaluwarsa menjadi tidak ditemukan/rusak baru dihitung "
         "setelah bukti lama diperiksa ulang dan tetap gagal. Sebelum itu statusnya tetap "
         "yang terakhir dipublikasikan (belum dikonfirmasi).")
listed = data.shown_changes(changes, unconfirmed=show_unconfirmed)
held = int((~changes["confirmed_change"]).sum()) if not changes.empty else 0
if held and not show_unconfirmed:
    st.caption(f"{held} perubahan belum dikonfirmasi atau ditahan tidak ditampilkan.")
if listed.empty:
    st.info("Tidak ada status kategori yang berubah di antara kedua putaran ini.")
else:
    columns = {
        "category_name": st.column_config.TextColumn("Kategori", width="large"),
        "change_label": st.column_config.TextColumn("Perubahan"),
        "from_label": st.column_config.TextColumn("Status awal"),
        "to_label": st.column_config.TextColumn("Status akhir"),
        "from_evidence_link": st.column_config.LinkColumn("Bukti sebelum",
                                                          display_text="Buka bukti lama"),
        "from_evidence_text": st.column_config.TextColumn("Teks bukti sebelum"),
        "to_evidence_link": st.column_config.LinkColumn("Bukti sesudah",
                                                        display_text="Buka bukti baru"),
        "to_evidence_text": st.column_config.TextColumn("Teks bukti sesudah"),
    }
    order = list(columns)
    st.caption(f"{len(listed)} perubahan pada {listed['agency_id'].nunique()} badan publik, "
               "dikelompokkan per badan publik.")
    for agency_id, rows in listed.groupby("agency_id", sort=False):
        name = rows["agency_name"].iloc[0]
        with st.expander(f"{ui.text(name)} ({len(rows)})", expanded=len(listed) <= 40):
            st.dataframe(ui.status_styler("to_label")(rows[order]), hide_index=True,
                         width="stretch", column_order=order, column_config=columns,
                         key=f"changes_{agency_id}")
    ui.download_buttons(
        ui.export_frame(listed, {"agency_name": "Badan Publik", **columns,
                                 "from_evidence_url": "URL bukti sebelum",
                                 "to_evidence_url": "URL bukti sesudah"}),
        key="changes", file_stem=f"perubahan-status-{from_run}-{to_run}")
