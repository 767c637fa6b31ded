"""The dashboard's writes for reviewers: sign-in, confirm, override, revoke.

Each is one short read-write connection (``warehouse.db.writing``) held for milliseconds; it
waits up to ``review.write_wait`` seconds while the crawl (or a page read in this process)
holds the file, then says so. The logic and its audit rows are the warehouse's
(``warehouse.reviewers``, ``warehouse.reviews``); this module turns their outcomes into the
Indonesian messages a page shows, and clears the cached results after a change.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb

from core import users
from core.settings import ReviewSettings, SettingsError, load_settings
from dashboard import data
from warehouse import db, reviewers, reviews

BUSY = ("Basis data sedang ditulis oleh proses pemantauan; simpan lagi sebentar lagi. "
        "Isian Anda tidak hilang.")


def review_settings() -> ReviewSettings:
    """``review.*`` from the environment / settings file (defaults when unreadable)."""
    try:
        return load_settings().review
    except SettingsError:
        return ReviewSettings()


def users_file(db_path: str | Path) -> Path:
    """The reviewers file of this database (``review.users_file`` or beside it)."""
    return users.users_path(review_settings().users_file, db_path)


def now() -> datetime:
    """Now in the schedule's zone (stored with it)."""
    return datetime.now(ZoneInfo(data.display().tz))


@dataclass(frozen=True)
class Outcome:
    """What a page shows after an action: ``level`` success, warning or error."""

    ok: bool
    message: str
    level: str = "success"
    reviewer: str | None = None


def sign_in(db_path: str | Path, name: str, password: str) -> Outcome:
    """Check a sign-in; a failure waits ``review.signin_delay`` before it answers."""
    settings = review_settings()
    try:
        result = reviewers.sign_in(db_path, users_file(db_path), name, password, now(), settings)
    except users.UsersFileError as exc:
        return Outcome(False, f"Masuk tidak dapat diperiksa: {exc}", "error")
    except duckdb.Error as exc:
        if db.is_lock_error(exc):
            return Outcome(False, BUSY, "warning")
        return Outcome(False, f"Basis data tidak dapat ditulis: {exc}", "error")
    if result.name is None:
        if result.failed:
            time.sleep(settings.signin_delay)
        return Outcome(False, result.message, "error")
    return Outcome(True, result.message, reviewer=result.name)


def setup_hint(db_path: str | Path) -> str | None:
    """What to tell a visitor when nobody can sign in yet (no reviewers, or a users file
    that cannot be read); None when there are reviewers."""
    path = users_file(db_path)
    try:
        found = users.load_users(path)
    except users.UsersFileError as exc:
        return f"Berkas pengguna tidak dapat dipakai: {exc}"
    if found:
        return None
    return (f"Belum ada peninjau di {path}. Admin server menambahkannya dengan "
            f"`pantau users add NAMA --db {db_path}`.")


def still_a_reviewer(db_path: str | Path, name: str) -> bool:
    """Whether ``name`` is still in the users file (a removed reviewer's open page may not
    save)."""
    try:
        return any(u.name == name for u in users.load_users(users_file(db_path)))
    except users.UsersFileError:
        return False


def confirm(db_path: str | Path, reviewer: str, agency_id: str, category_id: str,
            token: tuple) -> Outcome:
    """Confirm the finding drawn with ``token`` (run id, review id, version)."""
    return _write(db_path, reviewer, lambda con: reviews.confirm(
        con, agency_id=agency_id, category_id=category_id, expected_run_id=token[0],
        expected_review_id=token[1], reviewer=reviewer, at=now()),
        "Temuan dibenarkan dan dicatat di jejak audit.")


def override(db_path: str | Path, reviewer: str, agency_id: str, category_id: str,
             status: str, reason: str, token: tuple) -> Outcome:
    """Override the finding drawn with ``token`` to ``status`` for ``reason``."""
    limit = review_settings().reason_max_chars
    return _write(db_path, reviewer, lambda con: reviews.override(
        con, agency_id=agency_id, category_id=category_id, status=status, reason=reason,
        expected_run_id=token[0], expected_review_id=token[1], reviewer=reviewer, at=now(),
        max_reason=limit),
        "Koreksi disimpan: status efektif dan nilai badan publik sudah diperbarui.")


def revoke(db_path: str | Path, reviewer: str, review_id: int, version: int) -> Outcome:
    """Revoke an override in force (compare-and-set on its version)."""
    return _write(db_path, reviewer, lambda con: reviews.revoke(
        con, review_id=review_id, expected_version=version, reviewer=reviewer, at=now()),
        "Koreksi dicabut: temuan kembali ke hasil pemantauan.")


def _write(db_path: str | Path, reviewer: str, action, done: str) -> Outcome:
    if not still_a_reviewer(db_path, reviewer):
        return Outcome(False, "Akun peninjau ini tidak ada lagi di berkas pengguna; "
                              "masuk lagi.", "error")
    try:
        with db.writing(db_path, wait=review_settings().write_wait) as con:
            action(con)
    except reviews.ReviewRefused as exc:
        return Outcome(False, str(exc), "error")
    except reviews.ReviewConflict as exc:
        data.forget_cached_results()
        return Outcome(False, str(exc), "warning")
    except duckdb.Error as exc:
        if db.is_lock_error(exc):
            return Outcome(False, BUSY, "warning")
        return Outcome(False, f"Basis data tidak dapat ditulis: {exc}", "error")
    data.forget_cached_results()
    return Outcome(True, done)
