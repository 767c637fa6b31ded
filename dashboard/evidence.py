"""The evidence view of one finding: its bundle as a reviewer and the OPD both see it.

The same lines as ``pantau evidence`` (``warehouse.evidence_text``): status, matched text,
document year, the URL chain followed, HTTP status, content type, size, SHA-256 and what it
covers, and the screenshot kept with the run. Every crawled value is shown with ``st.text``
(never Markdown or HTML). The button takes a screenshot of the evidence page with the
crawler's browser now and keeps it with the latest run (``Data.take_screenshot``: a short
write, retried while the crawl holds the database, and an audit row naming the reviewer); it
is there for a signed-in reviewer (``dashboard.signin``), everyone else reads.
"""

from __future__ import annotations

import streamlit as st

from dashboard import signin, ui
from dashboard.data import Data, display
from warehouse import audit
from warehouse.evidence_text import CHAIN_LABEL, chain_lines, describe

_MESSAGE_KEY = "pantau_screenshot_message"


def show_bundle(d: Data, agency_id: str, category_id: str) -> None:
    """The finding's evidence bundle, its screenshot (if kept) and the screenshot button."""
    bundle = d.evidence_bundle(agency_id, category_id)
    if bundle is None:
        st.text("Temuan ini tidak punya bukti pada putaran terakhir.")
        return
    lines = [f"{label}: {value}" for label, value in describe(bundle, display().tz)]
    chain = chain_lines(bundle)
    if chain:
        lines += [f"{CHAIN_LABEL}:", *(f"  {line}" for line in chain)]
    st.text("\n".join(lines))
    png = d.screenshot_png(bundle.get("screenshot_path"))
    if png is not None:
        st.image(png, width="stretch")
    elif bundle.get("screenshot_path"):
        st.text("Berkas tangkapan layar tidak ditemukan di folder data.")
    _screenshot_button(d, agency_id, category_id)


def _screenshot_button(d: Data, agency_id: str, category_id: str) -> None:
    """The button, for a signed-in reviewer only: a screenshot writes (a file, a row, an audit
    row) and makes the monitor fetch the page, and viewers who did not sign in only read."""
    key = f"{agency_id}/{category_id}"
    shown = st.session_state.get(_MESSAGE_KEY)
    if isinstance(shown, tuple) and shown[0] == key:
        (st.success if shown[1] else st.info)(ui.text(shown[2]))
    reviewer = signin.current_reviewer()
    if reviewer is None:
        st.caption("Masuk sebagai peninjau (halaman Tinjauan) untuk mengambil tangkapan layar "
                   "halaman bukti.")
        return
    if st.button("Ambil tangkapan layar halaman bukti", key=f"screenshot_{key}",
                 icon=":material/photo_camera:",
                 help="Memotret halaman bukti sekarang dengan peramban pemantau; hasilnya "
                      "disimpan bersama putaran terakhir dan dicatat di jejak audit."):
        with st.spinner("Memotret halaman bukti…"):
            result = d.take_screenshot(agency_id, category_id, audit.reviewer_actor(reviewer))
        st.session_state[_MESSAGE_KEY] = (key, result.taken, result.message)
        st.rerun()
