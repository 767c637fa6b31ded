"""Pantau PPID dashboard: the Streamlit entry point.

    streamlit run dashboard/app.py -- --db pantau.duckdb      (or PANTAU_DB=pantau.duckdb)

``main()`` reads the newest run ids (one small read-only query), keeps them in the session
for the pages (``dashboard.ui.current_data``) and runs the page chosen in ``st.navigation``.
"""

from __future__ import annotations

import os
import sys
from datetime import timedelta
from pathlib import Path

import streamlit as st

if __package__ in (None, ""):
    # `streamlit run dashboard/app.py` puts dashboard/ on sys.path, not the project root.
    root = str(Path(__file__).resolve().parents[1])
    if root not in sys.path:
        sys.path.insert(0, root)

from dashboard import charts, data, signin, ui  # noqa: E402
from dashboard.labels import crawl_label, md_escape  # noqa: E402

HERE = Path(__file__).resolve().parent
# Not "pages/": Streamlit treats a pages/ folder beside the entry point as a legacy (v1)
# multipage app until st.navigation has run, which runs page files without this entry point.
PAGES_DIR = HERE / "views"
# How often an open page checks for a newly committed run (setting dashboard.refresh_seconds).
# No bare strings at module level here: Streamlit's "magic" would print them.
REFRESH_EVERY = timedelta(seconds=data.SETTINGS.refresh_seconds)


def pages() -> list:
    """The dashboard's pages, in menu order."""
    return [
        st.Page(PAGES_DIR / "ringkasan.py", title="Ringkasan", icon=":material/dashboard:",
                url_path="ringkasan", default=True),
        st.Page(PAGES_DIR / "badan_publik.py", title="Badan Publik",
                icon=":material/account_balance:", url_path="badan-publik"),
        st.Page(PAGES_DIR / "matriks.py", title="Matriks", icon=":material/grid_on:",
                url_path="matriks"),
        st.Page(PAGES_DIR / "perubahan.py", title="Perubahan", icon=":material/compare_arrows:",
                url_path="perubahan"),
        st.Page(PAGES_DIR / "pengingat.py", title="Pengingat", icon=":material/mail:",
                url_path="pengingat"),
        st.Page(PAGES_DIR / "tindak_lanjut.py", title="Tindak Lanjut",
                icon=":material/task_alt:", url_path="tindak-lanjut"),
        st.Page(PAGES_DIR / "kesehatan.py", title="Kesehatan Situs",
                icon=":material/monitor_heart:", url_path="kesehatan-situs"),
        review_page(),
        claim_page(),
    ]


def review_page():
    """Reviewers sign in and confirm or override findings; everyone reads the trail."""
    return st.Page(PAGES_DIR / "tinjauan.py", title="Tinjauan", icon=":material/rate_review:",
                   url_path="tinjauan")


def claim_page():
    """The declaration form an OPD reaches from its reminder's link (``claims.form_page``)."""
    return st.Page(PAGES_DIR / "klaim.py", title="Klaim Bukti", icon=":material/fact_check:",
                   url_path="klaim")


def main(argv: list[str] | None = None, environ: dict[str, str] | None = None) -> None:
    """The Streamlit entry point: resolve the database, then run the chosen page."""
    st.set_page_config(page_title="Pantau PPID", page_icon=":material/policy:", layout="wide")
    page = st.navigation(pages())
    st.sidebar.caption("Pantau PPID — pemantauan kepatuhan keterbukaan informasi publik "
                       "(UU 14/2008, Perki 1/2021)")

    path = data.resolve_db_path(sys.argv[1:] if argv is None else argv,
                                os.environ if environ is None else environ)
    if path is None:
        st.error("Basis data belum ditentukan. Jalankan `pantau dashboard --db BERKAS` "
                 "atau isi variabel lingkungan `PANTAU_DB`.")
        st.stop()

    charts.ZONE = data.display().tz
    snapshot = _snapshot(path)
    st.session_state[ui.SNAPSHOT_KEY] = snapshot
    _sidebar(snapshot)
    signin.sidebar_note()
    _watch_for_new_runs(str(path), snapshot.key)

    if snapshot.empty:
        st.title(page.title)
        st.info("Belum ada hasil pemantauan di basis data ini. Jalankan pemantauan "
                "(`pantau crawl --registry BERKAS --db BERKAS`); hasilnya tampil di sini "
                "setelah putaran pertama selesai.")
        st.stop()
    try:
        page.run()
    except data.DatabaseBusy as exc:
        st.warning(md_escape(str(exc)))
    except data.DatabaseError as exc:
        st.error(md_escape(str(exc)))


def _snapshot(path: Path) -> data.Snapshot:
    """The newest run ids; while the crawl holds the file past the wait, the last snapshot
    this session saw (its results are cached), with a note."""
    try:
        return data.read_snapshot(path)
    except data.DatabaseBusy as exc:
        previous = st.session_state.get(ui.SNAPSHOT_KEY)
        if previous is None:
            st.warning(md_escape(str(exc)))
            st.stop()
        st.warning("Basis data sedang diperbarui oleh proses pemantauan; menampilkan data "
                   "terakhir yang terbaca.")
        return previous
    except data.DatabaseError as exc:
        st.error(md_escape(str(exc)))
        st.stop()


def _sidebar(snapshot: data.Snapshot) -> None:
    with st.sidebar:
        if snapshot.empty:
            st.caption("Belum ada putaran pemantauan.")
            return
        try:
            runs = data.Data(snapshot).completed_runs()
        except data.DatabaseError:
            return  # busy: the page says so
        latest = runs.iloc[0]
        crawl = crawl_label(latest.get("crawl_mode"), int(latest.get("full_crawls") or 0),
                            int(latest.get("smart_crawls") or 0))
        st.caption(f"Putaran terakhir: #{int(latest['run_id'])} · "
                   f"{ui.when(latest['finished_at'])}" + (f" · {crawl}" if crawl else "")
                   + f" · {len(runs)} putaran")


@st.fragment(run_every=REFRESH_EVERY)
def _watch_for_new_runs(path: str, shown: tuple) -> None:
    """Rerun the whole page when a new run has been committed since it was drawn."""
    try:
        snapshot = data.read_snapshot(path)
    except data.DatabaseError:
        return  # busy or gone for a moment: check again at the next tick
    if snapshot.key != shown:
        st.rerun(scope="app")


if __name__ == "__main__":
    main()
