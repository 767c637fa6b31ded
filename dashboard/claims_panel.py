"""The agency page's "Klaim bukti" section: what the OPD declared and what the crawl made of
it ("terverifikasi", "belum terverifikasi" with the reason, "belum diperiksa"). Declared URLs
and reasons are shown with ``st.text``, never as Markdown."""

from __future__ import annotations

import streamlit as st

from core.vocabulary import CLAIM_WORD
from dashboard import claim_form
from dashboard.data import display


def show_claims(path: str, agency_id: str) -> None:
    """The section, when the agency has open declarations."""
    settings = claim_form.form_settings()
    try:
        rows = claim_form.agency_claims(path, agency_id, settings)
    except claim_form.FormRefused as refused:
        st.text(refused.messages[0])
        return
    if not rows:
        return
    st.subheader(CLAIM_WORD)
    st.caption("Alamat yang diajukan badan publik sebagai bukti; Pantau PPID memeriksanya pada "
               "setiap putaran. Klaim yang belum terverifikasi menunggu tinjauan PPID Utama.")
    st.text("\n".join(claim_form.claim_lines(rows, display().tz)))
