"""Matriks: every agency × every category, coloured by the latest status."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, data, labels, ui

d = ui.current_data()
matrix = d.matrix()

st.title("Matriks kepatuhan")
st.caption("Status terbaru setiap kategori informasi wajib per badan publik. "
           + " · ".join(f"{labels.STATUS_GLYPHS[s]} {labels.STATUS_LABELS[s]}"
                        for s in labels.STATUSES)
           + f" · {labels.OVERRIDE_MARK_LEGEND}"
           + ". Baris terakhir: jumlah badan publik yang mempublikasikan kategori itu.")

present_groups = [g for g in labels.GROUPS if g in set(matrix["category_group"])]
present_groups += sorted(set(matrix["category_group"]) - set(present_groups))
parents = (matrix[matrix["parent"].notna()][["parent", "parent_name"]]
           .drop_duplicates("parent").sort_values("parent_name"))
parent_names = dict(zip(parents["parent"], parents["parent_name"], strict=True))

c1, c2, c3, c4 = st.columns(4)
sort = c1.selectbox("Urutkan", list(data.SORTS), format_func=data.SORTS.get, key="matrix_sort")
groups = c2.multiselect("Kelompok informasi", present_groups, default=present_groups,
                        format_func=labels.group_label, key="matrix_groups")
roles = c3.multiselect("Peran", list(labels.ROLE_LABELS), default=list(labels.ROLE_LABELS),
                       format_func=labels.role_label, key="matrix_roles")
parent = c4.selectbox("PPID Utama (induk)", [None, *parent_names],
                      format_func=lambda p: "Semua" if p is None else str(parent_names.get(p, p)),
                      key="matrix_parent")

rows, order = data.filter_matrix(matrix, groups=groups, roles=roles, parent=parent, sort=sort)
if rows.empty:
    st.info("Tidak ada badan publik atau kategori yang sesuai dengan saringan ini.")
    st.stop()

st.caption(f"{len(order)} badan publik × {rows['category_id'].nunique()} kategori")
st.plotly_chart(charts.status_heatmap(rows, order), width="stretch", key="matrix_heatmap")

st.subheader("Tabel matriks")
wide = data.matrix_wide(rows, order)
score_config = {"Skor": st.column_config.NumberColumn("Skor", format="%.1f")}
category_columns = [c for c in wide.columns if c not in ("Badan Publik", "Skor")]
st.dataframe(ui.status_styler(*category_columns)(wide), hide_index=True, width="stretch", column_config=score_config,
             key="matrix_table")
ui.download_buttons(wide, key="matrix", file_stem="matriks-kepatuhan")
