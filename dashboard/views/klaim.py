"""Klaim Bukti: the form an OPD reaches from its reminder's signed link to declare where it
publishes a category. Every rule lives in ``dashboard.claim_form``; untrusted text (the
registry's names, what the OPD typed) is shown with ``st.text``, never as Markdown."""

from __future__ import annotations

import streamlit as st

from core.declarations import MAX_NOTE_CHARS, MAX_URL_CHARS
from core.vocabulary import CLAIM_WORD, claim_word
from dashboard import claim_form, ui

DONE_KEY = "klaim_done"
LOGGED_KEY = "klaim_refusals_logged"

st.title(CLAIM_WORD)
path = ui.current_data().snapshot.path
settings = claim_form.form_settings()
token = st.query_params.get("token")
agency = st.query_params.get("agency")

done = st.session_state.get(DONE_KEY)
if done and done[0] == token:
    st.success("Klaim bukti diterima. Pantau PPID memeriksa alamat ini pada putaran berikutnya; "
               "hasilnya tampil di halaman Badan Publik.")
    for line in done[1]:
        st.text(line)
    st.stop()

logged = st.session_state.setdefault(LOGGED_KEY, set())
try:
    access = claim_form.open_form(path, agency, token, settings, log_refusal=token not in logged)
except claim_form.FormOff as off:
    st.warning("Formulir klaim bukti tidak aktif.")
    st.text(off.messages[0])
    st.stop()
except claim_form.FormBusy as busy:
    st.warning("Basis data sedang sibuk.")
    st.text(busy.messages[0])
    st.stop()
except claim_form.FormRefused as refused:
    logged.add(token)
    st.error("Tautan tidak dapat dipakai.")
    for message in refused.messages:
        st.text(message)
    st.stop()

st.caption("Tunjukkan alamat (URL) tempat badan publik Saudara menerbitkan informasi yang belum "
           "kami temukan. Alamat harus berada di situs PPID Saudara atau layanan publikasi yang "
           "dikenal (Google Drive, JDIH, SiRUP, LPSE …). Pantau PPID memeriksanya pada putaran "
           "berikutnya dengan aturan yang sama seperti pemeriksaan situs.")
st.text(f"Badan publik: {access.agency_name}")
st.text(f"Situs PPID: {access.agency_url}")
st.text(f"Tautan berlaku sampai {access.expires_text}, untuk satu kali pengiriman.")

if access.claims:
    st.subheader("Klaim yang sudah diajukan")
    for claim in access.claims:
        state = claim_word(claim["confirmed"])
        reason = f" — {claim['reason']}" if claim["reason"] else ""
        st.text(f"{claim['category_name'] or claim['category_id']}: {claim['url']} "
                f"({state}{reason})")

lacking = [c for c in access.categories if c.status != "found"]
found = [c for c in access.categories if c.status == "found"]


def inputs(choice: claim_form.CategoryChoice) -> None:
    """The URL and note fields of one category. A widget label is Markdown and also the
    field's accessible name, so the checklist's name goes in plain, without the characters
    Markdown would act on (escaping them would put backslashes in the accessible name)."""
    name = claim_form.plain_label(choice.name)
    st.text_input(f"Alamat (URL): {name}", key=f"url_{choice.category_id}",
                  max_chars=MAX_URL_CHARS, help=f"Status saat ini: {choice.status_word}")
    st.text_input(f"Keterangan: {name}", key=f"note_{choice.category_id}",
                  max_chars=MAX_NOTE_CHARS)


with st.form("klaim", clear_on_submit=False):
    st.subheader("Belum ditemukan")
    for choice in lacking:
        inputs(choice)
    if found:
        with st.expander("Kategori yang sudah ditemukan"):
            for choice in found:
                inputs(choice)
    sent = st.form_submit_button("Kirim klaim bukti", type="primary")

if sent:
    entries = [claim_form.Entry(c.category_id, st.session_state.get(f"url_{c.category_id}", ""),
                                st.session_state.get(f"note_{c.category_id}", ""))
               for c in access.categories]
    try:
        claim_form.submit(path, agency, token, entries, settings)
    except claim_form.FormRefused as refused:
        st.error("Klaim tidak disimpan:")
        for message in refused.messages:
            st.text(message)
    else:
        names = {c.category_id: c.name for c in access.categories}
        lines = [f"{names[e.category_id]}: {e.url.strip()}" for e in entries if e.url.strip()]
        st.session_state[DONE_KEY] = (token, lines)
        st.rerun()
