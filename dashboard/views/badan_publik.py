"""Badan Publik: one agency — score history against the bands, and its 30 categories."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.vocabulary import is_blocked
from dashboard import charts, claims_panel, data, evidence, labels, standings, ui
from warehouse.reports import monev

d = ui.current_data()
agencies = d.agencies()
ranking = d.ranking().set_index("agency_id")
names = dict(zip(agencies["agency_id"], agencies["name"], strict=True))
ids = list(agencies["agency_id"])

st.title("Badan Publik")

# ?agency=ID opens that agency (links in reminder messages point here).
requested = st.query_params.get("agency")
if st.session_state.get("agency") not in names:
    st.session_state.pop("agency", None)
    if requested in names:
        st.session_state["agency"] = requested
agency_id = st.selectbox("Pilih badan publik", ids, format_func=lambda i: names.get(i, i),
                         key="agency")
if agency_id is None:
    st.stop()
st.query_params["agency"] = agency_id

info = agencies.set_index("agency_id").loc[agency_id]
standing = ranking.loc[agency_id]
st.header(ui.text(info["name"]), anchor=False)
parent = (f" · melapor ke {ui.text(info['parent_name'])}"
          if isinstance(info["parent_name"], str) and info["parent_name"] else "")
st.caption(f"{ui.text(labels.role_label(info['role']))}{parent} · situs PPID: "
           f"{ui.text(info['url'])}")

findings = d.agency_findings(agency_id)
findings["first_seen_text"] = findings["first_seen"].map(ui.day)
counts = data.status_counts(findings)

cols = st.columns([1, 2, 1.3])
cols[0].metric("Skor", ui.score_text(standing["score"]),
               ui.delta(standing["score"], standing["previous_score"]), border=True,
               help="Perubahan dibanding hasil sebelumnya")
cols[1].metric("Predikat", labels.band_label(standing["band"]), border=True)
cols[2].metric("Kategori ditemukan", f"{counts['found']} dari {len(findings)}", border=True)
st.caption(f"Terakhir diperiksa {ui.when(standing['checked_at'])} (putaran "
           f"#{int(standing['run_id'])})")

line = next((a for a in d.standings() if a.agency_id == agency_id), None)
if counts["unreachable"] == len(findings) and len(findings):
    reason = ui.text(line.error) if line is not None and line.error else "—"
    st.warning("Situs ini tidak terjangkau pada putaran terakhir: statusnya belum "
               f"diketahui, tidak dihitung sebagai tidak mempublikasikan. Alasan: {reason}"
               + (". Situs menolak pemantau: minta pengelola servernya mengizinkan User-Agent "
                  "pemantau Pantau PPID." if line is not None and is_blocked(line.error) else ""))

    known = d.agency_last_known(agency_id)
    if len(known):
        st.subheader("Temuan terakhir yang diketahui")
        st.caption(f"{ui.text(known['last_seen_label'].iloc[0]).capitalize()} "
                   f"({ui.when(known['seen_at'].iloc[0])}, putaran #{int(known['run_id'].iloc[0])}). "
                   "Ini keadaan terakhir yang terlihat, bukan hasil putaran terakhir.")
        known_columns = {
            "category_name": st.column_config.TextColumn("Kategori", width="medium"),
            "status_label": st.column_config.TextColumn("Status terakhir"),
            "evidence_link": st.column_config.LinkColumn("Bukti", display_text="Buka dokumen"),
            "document_year": st.column_config.NumberColumn("Tahun dokumen", format="%d"),
        }
        st.dataframe(ui.status_styler("status_label")(known[list(known_columns)]),
                     hide_index=True, width="stretch", height=ui.fit_height(len(known)),
                     column_config=known_columns, key="last_known_findings")

official = d.monev_results(agency_id)
if not official.empty:
    st.caption("Hasil resmi Monev Komisi Informasi: " + "; ".join(
        f"{int(r.year)}: {ui.text(r.band)}"
        + (f" ({ui.score_text(r.score)})" if not pd.isna(r.score) else "")
        for r in official.itertuples(index=False))
        + f" · skor Pantau sekarang {ui.score_text(standing['score'])} "
          f"({monev.ESTIMATE_LABEL}).")

left, right, third, fourth = st.columns(4)
third.download_button(
    "Lembar bukti Monev (Excel)", data=lambda: d.report("monev_xlsx", agency_id),
    file_name=f"lembar-bukti-monev-{agency_id}.xlsx", key="monev_xlsx", on_click="ignore",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    icon=":material/table_view:")
fourth.download_button(
    "Lembar bukti Monev (PDF)", data=lambda: d.report("monev_pdf", agency_id),
    file_name=f"lembar-bukti-monev-{agency_id}.pdf", mime="application/pdf",
    key="monev_pdf", on_click="ignore", icon=":material/picture_as_pdf:")
left.download_button(
    "Unduh laporan badan publik (PDF)", data=lambda: d.report("pdf", agency_id),
    file_name=f"laporan-{agency_id}.pdf", mime="application/pdf", key="agency_report_pdf",
    on_click="ignore", icon=":material/picture_as_pdf:")
right.download_button(
    "Unduh laporan (HTML, siap cetak)", data=lambda: d.report("html", agency_id),
    file_name=f"laporan-{agency_id}.html", mime="text/html", key="agency_report_html",
    on_click="ignore", icon=":material/print:")

if line is not None and line.gaps:
    st.subheader("Yang perlu dilengkapi")
    st.caption("Kategori yang belum ditemukan, rusak atau kedaluwarsa, dengan yang perlu "
               "diunggah dan dasar hukumnya.")
    st.html(standings.gaps_html(line.gaps))

st.plotly_chart(charts.score_history(d.agency_history(agency_id), info["name"]),
                width="stretch", key="agency_history")

st.subheader("Kategori informasi wajib")
st.caption(" · ".join(f"{labels.STATUS_LABELS[s]}: {counts[s]}" for s in labels.STATUSES))
overridden = findings[findings["override_note"] != ""]
if not overridden.empty:  # reviewers' overrides, with who, when and why (as text)
    st.markdown(f"**{labels.OVERRIDE_MARK_LEGEND.capitalize()}** ({len(overridden)})")
    for item in overridden.itertuples(index=False):
        st.text(f"{item.category_name}: {item.status_label}. {item.override_note}")

columns = {
    "category_name": st.column_config.TextColumn("Kategori", width="medium"),
    "status_label": st.column_config.TextColumn("Status"),
    "evidence_link": st.column_config.LinkColumn("Bukti", display_text="Buka dokumen"),
    "evidence_text": st.column_config.TextColumn("Teks bukti", width="medium"),
    "document_year": st.column_config.NumberColumn("Tahun dokumen", format="%d"),
    "first_seen_text": st.column_config.TextColumn("Pertama terlihat"),
    "legal_basis": st.column_config.TextColumn("Dasar hukum"),
    "override_note": st.column_config.TextColumn("Koreksi peninjau", width="medium"),
}
groups = [g for g in labels.GROUPS if g in set(findings["category_group"])]
groups += sorted(set(findings["category_group"]) - set(groups))  # a region's own groups
for group in groups:
    rows = findings[findings["category_group"] == group]
    st.markdown(f"**{ui.text(labels.group_label(group))}** ({len(rows)} kategori)")
    order = list(columns)
    st.dataframe(ui.status_styler("status_label")(rows[order]), hide_index=True,
                 width="stretch", height=ui.fit_height(len(rows)), column_order=order, column_config=columns,
                 key=f"findings_{group}")

ui.download_buttons(
    ui.export_frame(findings, {"group_label": "Kelompok", **columns, "evidence_url": "URL bukti",
                             "status": "Kode status"}),
    key="findings", file_stem=f"kategori-{agency_id}",
)

with_evidence = findings[findings["evidence_url"].notna() | findings["evidence_text"].notna()]
if not with_evidence.empty:
    st.subheader("Rincian bukti")
    chosen = st.selectbox(
        "Kategori", list(with_evidence["category_id"]), key=f"evidence_{agency_id}",
        format_func=lambda c: str(with_evidence.set_index("category_id").loc[c, "category_name"]),
    )
    row = with_evidence.set_index("category_id").loc[chosen]
    st.text(f"Status: {row['status_label']}")
    st.text(f"Teks bukti: {row['evidence_text'] or '—'}")
    if isinstance(row["evidence_link"], str):
        st.link_button("Buka dokumen", row["evidence_link"], icon=":material/open_in_new:")
    elif isinstance(row["evidence_url"], str):
        st.text(f"Alamat bukti (bukan tautan http/https): {row['evidence_url']}")
    evidence.show_bundle(d, agency_id, chosen)

claims_panel.show_claims(d.snapshot.path, agency_id)
