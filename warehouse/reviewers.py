"""Reviewers: changes to the users file and sign-ins, each with its audit row.

``core.users`` keeps the file (names, salted scrypt hashes); this module pairs every change
with its row in ``audit_log`` (actor ``cli`` for ``pantau users``) and judges sign-ins:
a name with ``review.signin_max_failures`` failed attempts within
``review.signin_window_minutes`` (counted from the audit trail, since its last successful
sign-in) is refused even with the right password until the window has passed, and every
attempt, failed or not, is a row in the trail. The caller waits ``review.signin_delay``
after a failure (the dashboard does).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from core import users
from core.settings import ReviewSettings
from warehouse import audit, db, queries

MAX_NAME_IN_TRAIL = 64
"""A failed sign-in's typed name is kept in the trail up to this length."""


def add(db_path: str | Path, users_file: Path, name: str, password: str, at: datetime, *,
        min_length: int) -> users.User:
    """Add a reviewer to the users file, with its audit row (actor ``cli``)."""
    with db.writing(db_path) as con, db.transaction(con):
        user = users.add_user(users_file, name, password, at, min_length=min_length)
        audit.record(con, at=at, actor=audit.CLI, action="user_add",
                     after={"name": user.name, "added_at": user.added_at,
                            "users_file": str(users_file)})
    return user


def remove(db_path: str | Path, users_file: Path, name: str, at: datetime) -> users.User:
    """Remove a reviewer from the users file, with its audit row (actor ``cli``)."""
    with db.writing(db_path) as con, db.transaction(con):
        user = users.remove_user(users_file, name)
        audit.record(con, at=at, actor=audit.CLI, action="user_remove",
                     before={"name": user.name, "added_at": user.added_at,
                             "users_file": str(users_file)},
                     after={"removed_at": at.isoformat()})
    return user


@dataclass(frozen=True)
class SignIn:
    """The answer to a sign-in: ``name`` when it succeeded, else the Indonesian reason."""

    name: str | None
    message: str
    failed: bool = False
    """True for a wrong name or password (the caller waits ``signin_delay``)."""


def sign_in(db_path: str | Path, users_file: Path, name: str, password: str, at: datetime,
            settings: ReviewSettings) -> SignIn:
    """Check a sign-in against the users file and the recent failures in the audit trail;
    record it (``signin``, ``signin_failed`` or ``signin_locked``). ``UsersFileError`` for a
    bad users file; the database's own errors (busy, missing) pass through."""
    typed = (name or "").strip().lower()[:MAX_NAME_IN_TRAIL]
    actor = audit.reviewer_actor(typed)
    window = timedelta(minutes=settings.signin_window_minutes)
    with db.writing(db_path, wait=settings.write_wait) as con, db.transaction(con):
        recent = queries.records(con, "signin_failures", actor=actor, since=at - window)[0]
        if recent["failures"] >= settings.signin_max_failures:
            audit.record(con, at=at, actor=actor, action="signin_locked",
                         note=f"{recent['failures']} gagal sejak {recent['first_failure']}")
            minutes = _minutes_left(recent["first_failure"], window, at)
            return SignIn(None, f"Terlalu banyak percobaan masuk yang gagal untuk nama ini. "
                                f"Coba lagi dalam {minutes} menit.")
        if not users.authenticate(users_file, typed, password or ""):
            audit.record(con, at=at, actor=actor, action="signin_failed")
            return SignIn(None, "Nama pengguna atau kata sandi salah.", failed=True)
        audit.record(con, at=at, actor=actor, action="signin")
    return SignIn(typed, f"Masuk sebagai {typed}.")


def _minutes_left(first_failure: datetime | None, window: timedelta, at: datetime) -> int:
    if first_failure is None:
        return int(window.total_seconds() // 60) or 1
    left = first_failure + window - at
    return max(1, int(left.total_seconds() // 60) + 1)
