"""Tinjauan: reviewers confirm or override findings (signed in); everyone sees the
overrides in force, what awaits review and the audit trail (read-only)."""

from __future__ import annotations

import streamlit as st

from core.vocabulary import (
    AUDIT_ACTION_WORDS,
    REVIEW_KIND_WORDS,
    REVIEW_STATE_WORDS,
    UNREACHABLE,
    source_word,
)
from dashboard import data, labels, reviewing, signin, ui
from warehouse.reviews import OVERRIDE_STATUSES

d = ui.current_data()
path = d.snapshot.path
settings = reviewing.review_settings()

st.title("Tinjauan")
st.caption("Peninjau Diskominfo dapat membenarkan temuan atau mengoreksi statusnya dengan "
           "alasan. Koreksi tampil sebagai koreksi di semua halaman, laporan, ekspor dan "
           "e-mail, dan gugur sendiri bila bukti yang dinilainya berubah.")

reviewer = signin.current_reviewer()
if reviewer is None:
    st.info("Tanpa masuk, semua data dapat dilihat (hanya baca). Masuk sebagai peninjau "
            "untuk membenarkan atau mengoreksi temuan.", icon=":material/visibility:")
    hint = reviewing.setup_hint(path)
    if hint:
        st.caption(labels.md_escape(hint))
    signin.sign_in_form(path)
else:
    signin.signed_in_bar()


def _token_key(agency_id: str, category_id: str) -> str:
    return f"review_token::{agency_id}::{category_id}"


def _flash(outcome: reviewing.Outcome, token_key: str) -> None:
    st.session_state["review_message"] = (outcome.level, outcome.message)
    st.session_state.pop(token_key, None)  # the next drawing takes the finding as it is now


def _confirm(agency_id: str, category_id: str) -> None:
    key = _token_key(agency_id, category_id)
    _flash(reviewing.confirm(path, reviewer, agency_id, category_id, st.session_state[key]), key)


def _revoke(agency_id: str, category_id: str) -> None:
    key = _token_key(agency_id, category_id)
    token = st.session_state[key]
    _flash(reviewing.revoke(path, reviewer, token[1], token[2]), key)


def _override(agency_id: str, category_id: str) -> None:
    key = _token_key(agency_id, category_id)
    reason_key = f"reason::{agency_id}::{category_id}"
    outcome = reviewing.override(path, reviewer, agency_id, category_id,
                                 st.session_state[f"status::{agency_id}::{category_id}"],
                                 st.session_state.get(reason_key, ""), st.session_state[key])
    if outcome.ok:
        st.session_state[reason_key] = ""
    _flash(outcome, key)


def review_form() -> None:
    """Choose a finding, see it as stored, confirm it, override it or revoke an override."""
    st.subheader("Tinjau temuan")
    agencies = d.agencies()
    names = dict(zip(agencies["agency_id"], agencies["name"], strict=True))
    wanted = st.query_params.get("agency")
    if wanted in names and "review_agency" not in st.session_state:
        st.session_state["review_agency"] = wanted
    agency_id = st.selectbox("Badan publik", list(names), format_func=lambda i: names[i],
                             key="review_agency")
    if agency_id is None:
        return
    rows = data.run_query(path, "finding_reviews", agency_id=agency_id)
    if rows.empty:
        st.info("Belum ada temuan untuk badan publik ini.")
        return
    by_id = rows.set_index("category_id")
    wanted = st.query_params.get("category")
    if wanted in by_id.index and "review_category" not in st.session_state:
        st.session_state["review_category"] = wanted
    category_id = st.selectbox(
        "Kategori", list(by_id.index), key="review_category",
        format_func=lambda c: f"{by_id.loc[c, 'category_name']} — "
                              f"{labels.shown_status_label(by_id.loc[c, 'status'], True, by_id.loc[c, 'status_source'])}")
    st.query_params.update({"agency": agency_id, "category": category_id})
    row = by_id.loc[category_id]
    review_id = None if row["review_id"] != row["review_id"] else int(row["review_id"])
    version = None if row["review_version"] != row["review_version"] else int(row["review_version"])
    token_key = _token_key(agency_id, category_id)
    if token_key not in st.session_state:
        st.session_state[token_key] = (int(row["run_id"]), review_id, version)

    shown = st.session_state.pop("review_message", None)
    if shown:
        level, message = shown
        {"success": st.success, "warning": st.warning}.get(level, st.error)(
            labels.md_escape(message))

    overridden = row["status_source"] == labels.SOURCE_OVERRIDE
    st.text(f"Status berlaku: {labels.shown_status_label(row['status'], True, row['status_source'])}"
            f" · sumber: {source_word(row['status_source'])}")
    st.text(f"Status dari pemantau (detektor): {labels.status_label(row['detector_status'])}"
            f" · putaran #{int(row['run_id'])}")
    st.text(f"Bukti: {row['evidence_url'] if isinstance(row['evidence_url'], str) else '—'}")
    if isinstance(row["evidence_sha256"], str):
        st.text(f"SHA-256 bukti: {row['evidence_sha256']}")
    if overridden:
        st.text(f"{labels.OVERRIDE_WORD} oleh {row['reviewer']}, {ui.when(row['reviewed_at'])}; "
                f"menggantikan status {labels.status_label(row['replaced_status'])}.")
        st.text(f"Alasan: {row['review_reason']}")
    elif row["review_kind"] == "confirm":
        st.text(f"{REVIEW_KIND_WORDS['confirm']} oleh {row['reviewer']}, "
                f"{ui.when(row['reviewed_at'])}.")

    if row["status"] == UNREACHABLE:  # nothing to judge
        st.info("Situs tidak terjangkau pada putaran terakhir: tidak ada bukti untuk ditinjau.")
        return
    if overridden:
        st.button("Cabut koreksi", key="revoke", on_click=_revoke, args=(agency_id, category_id),
                  icon=":material/undo:")
    else:
        st.button("Benarkan temuan", key="confirm", on_click=_confirm,
                  args=(agency_id, category_id), icon=":material/check_circle:")
    with st.form(f"override::{agency_id}::{category_id}", border=True):
        st.markdown("**Koreksi status**")
        choices = [s for s in OVERRIDE_STATUSES if s != row["status"]]
        st.selectbox("Status yang benar", choices, format_func=labels.status_label,
                     key=f"status::{agency_id}::{category_id}")
        st.text_area("Alasan (wajib; tampil sebagai teks biasa)",
                     key=f"reason::{agency_id}::{category_id}",
                     max_chars=settings.reason_max_chars,
                     placeholder="mis. dokumen hanya untuk pengguna yang masuk; "
                                 "dokumen milik badan publik lain")
        st.form_submit_button("Simpan koreksi", on_click=_override,
                              args=(agency_id, category_id), icon=":material/edit:")


if reviewer is not None:
    review_form()

st.subheader("Koreksi yang berlaku")
active = data.run_query(path, "active_overrides")
if active.empty:
    st.caption("Belum ada koreksi yang berlaku.")
else:
    active["status_label"] = [labels.shown_status_label(s, True, labels.SOURCE_OVERRIDE)
                              for s in active["status"]]
    active["replaced_label"] = active["replaced_status"].map(labels.status_label)
    active["detector_label"] = active["latest_detector_status"].map(labels.status_label)
    active["when"] = active["created_at"].map(ui.when)
    shown_columns = {
        "agency_name": st.column_config.TextColumn("Badan publik"),
        "category_name": st.column_config.TextColumn("Kategori"),
        "status_label": st.column_config.TextColumn("Status koreksi"),
        "reason": st.column_config.TextColumn("Alasan", width="large"),
        "reviewer": st.column_config.TextColumn("Peninjau"),
        "when": st.column_config.TextColumn("Waktu"),
        "replaced_label": st.column_config.TextColumn("Menggantikan"),
        "detector_label": st.column_config.TextColumn("Detektor (putaran terakhir)"),
    }
    st.dataframe(active[list(shown_columns)], hide_index=True, width="stretch",
                 column_config=shown_columns, key="active_overrides")
    ui.download_buttons(ui.export_frame(active, shown_columns), key="active_overrides_dl",
                        file_stem="koreksi-berlaku")

st.subheader("Menunggu tinjauan")
st.caption("Klaim bukti OPD yang belum terverifikasi dan koreksi yang berlaku.")
waiting = data.run_query(path, "open_reviews")
if waiting.empty:
    st.caption("Tidak ada yang menunggu tinjauan.")
else:
    waiting["kind_label"] = waiting["kind"].map(
        {"claim": "Klaim bukti", "override": labels.OVERRIDE_WORD}.get)
    waiting["since_text"] = waiting["since"].map(ui.when)
    open_columns = {
        "kind_label": st.column_config.TextColumn("Jenis"),
        "agency_name": st.column_config.TextColumn("Badan publik"),
        "category_name": st.column_config.TextColumn("Kategori"),
        "evidence_url": st.column_config.TextColumn("Alamat bukti"),
        "detail": st.column_config.TextColumn("Keterangan", width="large"),
        "since_text": st.column_config.TextColumn("Sejak"),
    }
    st.dataframe(waiting[list(open_columns)], hide_index=True, width="stretch",
                 column_config=open_columns, key="open_reviews")

st.subheader("Jejak audit")
trail = data.run_query(path, "audit_log", agency_id=None, limit=200)
if trail.empty:
    st.caption("Jejak audit masih kosong.")
else:
    trail["when"] = trail["logged_at"].map(ui.when)
    trail["action_label"] = trail["action"].map(lambda a: AUDIT_ACTION_WORDS.get(a, a))
    audit_columns = {
        "when": st.column_config.TextColumn("Waktu"),
        "actor": st.column_config.TextColumn("Pelaku"),
        "action_label": st.column_config.TextColumn("Tindakan"),
        "agency_id": st.column_config.TextColumn("Badan publik"),
        "category_id": st.column_config.TextColumn("Kategori"),
        "before": st.column_config.TextColumn("Sebelum", width="medium"),
        "after": st.column_config.TextColumn("Sesudah", width="medium"),
        "note": st.column_config.TextColumn("Catatan", width="medium"),
    }
    st.dataframe(trail[list(audit_columns)], hide_index=True, width="stretch",
                 column_config=audit_columns, key="audit_trail")
    ui.download_buttons(ui.export_frame(trail, audit_columns), key="audit_dl",
                        file_stem="jejak-audit")
st.caption("Status koreksi: " + ", ".join(REVIEW_STATE_WORDS.values()) + ".")
