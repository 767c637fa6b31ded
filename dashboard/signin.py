"""Reviewer sign-in: a small form against the users file, and the signed-in name.

Signing in lasts for the browser tab's Streamlit session (the name is kept in
``st.session_state``; nothing is stored in the browser): reloading the page signs out.
Viewers who do not sign in see every page read-only. Failed sign-ins are audited and slowed
(``dashboard.reviewing.sign_in``).
"""

from __future__ import annotations

import streamlit as st

from dashboard import reviewing
from dashboard.labels import md_escape

SESSION_KEY = "pantau_reviewer"


def current_reviewer() -> str | None:
    """The signed-in reviewer's name in this session, or None (read-only)."""
    name = st.session_state.get(SESSION_KEY)
    return name if isinstance(name, str) and name else None


def sign_out() -> None:
    """Forget the signed-in reviewer (a button callback)."""
    st.session_state.pop(SESSION_KEY, None)
    st.session_state["pantau_signin_message"] = ("success", "Anda sudah keluar.")


def _submit(db_path: str) -> None:
    name = st.session_state.get("signin_name", "")
    password = st.session_state.get("signin_password", "")
    st.session_state["signin_password"] = ""
    outcome = reviewing.sign_in(db_path, name, password)
    if outcome.ok:
        st.session_state[SESSION_KEY] = outcome.reviewer
    st.session_state["pantau_signin_message"] = (outcome.level, outcome.message)


def sign_in_form(db_path: str) -> None:
    """The sign-in form (name, password); shows the last attempt's answer."""
    _show_message()
    with st.form("pantau_signin", border=True, enter_to_submit=True):
        st.text_input("Nama pengguna", key="signin_name", max_chars=64,
                      autocomplete="username")
        st.text_input("Kata sandi", key="signin_password", type="password", max_chars=1024,
                      autocomplete="current-password")
        st.form_submit_button("Masuk", on_click=_submit, args=(db_path,),
                              icon=":material/login:")


def signed_in_bar() -> None:
    """Who is signed in, with a sign-out button."""
    _show_message()
    name = current_reviewer()
    if name is None:
        return
    left, right = st.columns([4, 1])
    left.success(f"Masuk sebagai peninjau **{md_escape(name)}**. Setiap keputusan dicatat "
                 "di jejak audit dengan nama Anda.", icon=":material/verified_user:")
    right.button("Keluar", on_click=sign_out, key="signout", icon=":material/logout:")


def sidebar_note() -> None:
    """In the sidebar of every page: who is signed in as reviewer (nothing for viewers)."""
    name = current_reviewer()
    if name is not None:
        st.sidebar.caption(f"Peninjau: {md_escape(name)} (halaman Tinjauan untuk keluar)")


def _show_message() -> None:
    shown = st.session_state.pop("pantau_signin_message", None)
    if not shown:
        return
    level, message = shown
    {"success": st.success, "warning": st.warning}.get(level, st.error)(md_escape(message))
