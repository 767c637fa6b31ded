"""Streamlit pieces the pages share: the current data, tables with downloads, safe text."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import streamlit as st

from core import formats
from dashboard import downloads, labels
from dashboard.data import Data, Snapshot, display

SNAPSHOT_KEY = "pantau_snapshot"


def current_data() -> Data:
    """The data of this page view (the app put the snapshot in the session before running
    the page); stops the page when there is none."""
    snapshot: Snapshot | None = st.session_state.get(SNAPSHOT_KEY)
    if snapshot is None or snapshot.empty:
        st.info("Belum ada hasil pemantauan di basis data ini.")
        st.stop()
    return Data(snapshot)


def text(value: object) -> str:
    """Untrusted text for a Markdown element (titles, captions, metrics): shown literally."""
    return labels.md_escape(value)


def when(value: object) -> str:
    """A timestamp as ``2 Nov 2026 09.00 WIB``: in the schedule's zone, the zone written."""
    return formats.moment(value, display().tz)


def day(value: object) -> str:
    """A date as ``2 Nov 2026`` in the schedule's zone."""
    return formats.day(value, display().tz, short=True)


def score_text(value: object) -> str:
    """A score as ``72,7``; ``—`` when there is none."""
    return formats.number(value)


def signed_text(value: object) -> str:
    """A change as ``+3,2``; ``—`` when unknown."""
    return formats.signed(value)


def delta(now: float | int | None, before: float | int | None, digits: int = 1):
    """A st.metric delta, or None when either side is unknown."""
    if now is None or before is None or pd.isna(now) or pd.isna(before):
        return None
    change = now - before
    return round(float(change), digits) if digits else int(change)


ROW_HEIGHT = 35
MAX_TABLE_HEIGHT = 700


def fit_height(rows: int) -> int:
    """A dataframe height that shows ``rows`` rows without an inner scrollbar (up to a cap)."""
    return min(MAX_TABLE_HEIGHT, ROW_HEIGHT * (rows + 1) + 3)


def table(frame: pd.DataFrame, *, key: str, file_stem: str,
          columns: Mapping[str, object], styler=None, height: int | str = "auto") -> None:
    """A dataframe showing ``columns`` (name -> st.column_config) in that order, with CSV and
    Excel downloads of the same columns under their Indonesian labels."""
    order = list(columns)
    shown = styler(frame[order]) if styler else frame[order]
    st.dataframe(shown, hide_index=True, width="stretch", height=height, column_order=order,
                 column_config=dict(columns), key=f"{key}_table")
    download_buttons(export_frame(frame, columns), key=key, file_stem=file_stem)


def export_frame(frame: pd.DataFrame, columns: Mapping[str, object]) -> pd.DataFrame:
    """The shown columns renamed to their labels, for the downloads."""
    names = {}
    for name, config in columns.items():
        if isinstance(config, str):
            label = config
        elif isinstance(config, Mapping):
            label = config.get("label")
        else:
            label = None
        names[name] = label or name
    return frame[list(columns)].rename(columns=names)


def download_buttons(frame, *, key: str, file_stem: str) -> None:
    """CSV and Excel downloads of ``frame`` (a DataFrame, or a function returning one that
    runs only when a button is pressed)."""
    build = frame if callable(frame) else (lambda: frame)
    left, right, _ = st.columns([1, 1, 4])
    left.download_button(
        "Unduh CSV", data=lambda: downloads.to_csv(build()), file_name=f"{file_stem}.csv",
        mime=downloads.CSV_MIME, key=f"{key}_csv", on_click="ignore",
        icon=":material/download:",
    )
    right.download_button(
        "Unduh Excel", data=lambda: downloads.to_excel(build(), file_stem),
        file_name=f"{file_stem}.xlsx", mime=downloads.XLSX_MIME, key=f"{key}_xlsx",
        on_click="ignore", icon=":material/download:",
    )


def status_styler(*columns: str):
    """A Styler function colouring ``columns`` (status labels) with the status colours."""
    by_label = {labels.STATUS_LABELS[s]: s for s in labels.STATUSES}

    def style(frame: pd.DataFrame):
        def cell(value):
            status = by_label.get(value)
            if status is None and isinstance(value, str):
                # "Ditemukan (belum dikonfirmasi)", "Ditemukan ✎ (dikoreksi)"
                status = by_label.get(value.split(" (", 1)[0].replace(labels.OVERRIDE_MARK, "").strip())
            if status is None:
                return ""
            return (f"background-color: {labels.STATUS_COLORS[status]}; "
                    f"color: {labels.STATUS_TEXT_COLORS[status]}")

        return frame.style.map(cell, subset=list(columns))

    return style
