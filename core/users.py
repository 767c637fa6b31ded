"""The reviewers file: who may correct findings on the dashboard.

One small JSON file (``review.users_file``, by default beside the database) holds each
reviewer's name, when they were added and a salted password hash — scrypt from the standard
library (``hashlib.scrypt``, N=2^14, r=8, p=1, a random 16-byte salt per user), compared in
constant time (``hmac.compare_digest``). Passwords themselves are never written anywhere.
The file is replaced atomically (written beside it, then renamed) and created readable by
its owner only.

A file that cannot be read (bad JSON, an unknown layout, a broken hash) is refused with one
Indonesian line naming the file (``UsersFileError``); nothing is written over it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import re
import secrets
import tempfile
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path

FORMAT = "pantau-users/1"
"""The layout marker the file carries."""
NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,31}$")
"""A reviewer's name: 2–32 lowercase letters, digits, dot, dash or underscore."""
MAX_FILE_BYTES = 1_000_000
MAX_PASSWORD_CHARS = 1024
"""Longer passwords are refused (scrypt would take them, but nobody types that)."""
SCRYPT_N, SCRYPT_R, SCRYPT_P, KEY_BYTES, SALT_BYTES = 2**14, 8, 1, 32, 16
USERS_SUFFIX = ".users.json"


class UsersFileError(ValueError):
    """The users file cannot be used; the message (Indonesian) names the file."""


class UserError(ValueError):
    """A refused user change (unknown name, bad name, short password …), in Indonesian."""


@dataclass(frozen=True)
class User:
    """One reviewer: name, when added (with its zone) and the password hash."""

    name: str
    added_at: str
    password_hash: str

    @property
    def added(self) -> datetime | None:
        """``added_at`` as a time with its zone (None when the file holds something else)."""
        try:
            stamp = datetime.fromisoformat(self.added_at)
        except ValueError:
            return None
        return stamp if stamp.tzinfo else None


def users_path(setting: str, db: str | Path) -> Path:
    """The users file: the ``review.users_file`` setting, or ``<database>.users.json``
    beside the database (``pantau.duckdb`` → ``pantau.users.json``)."""
    if setting.strip():
        return Path(setting).expanduser()
    db = Path(db)
    return db.with_name(db.stem + USERS_SUFFIX)


def hash_password(password: str) -> str:
    """A salted scrypt hash: ``scrypt$N$r$p$salt$key`` (salt and key base64)."""
    salt = secrets.token_bytes(SALT_BYTES)
    key = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return "$".join(["scrypt", str(SCRYPT_N), str(SCRYPT_R), str(SCRYPT_P),
                     _b64(salt), _b64(key)])


def verify_password(password: str, stored: str) -> bool:
    """Whether ``password`` matches ``stored`` (constant-time comparison of the keys)."""
    n, r, p, salt, key = _parse_hash(stored)
    if len(password) > MAX_PASSWORD_CHARS:
        return False
    return hmac.compare_digest(_scrypt(password, salt, n, r, p), key)


@cache
def _dummy_hash() -> str:
    return hash_password(secrets.token_hex(16))


def authenticate(path: Path, name: str, password: str) -> bool:
    """Whether ``name`` is a reviewer with that password. An unknown name costs the same
    scrypt work as a known one, so the answer's timing does not tell which names exist."""
    users = {u.name: u for u in load_users(path)}
    user = users.get(name.strip().lower())
    if user is None:
        verify_password(password, _dummy_hash())
        return False
    return verify_password(password, user.password_hash)


def load_users(path: Path) -> list[User]:
    """Every reviewer in the file (none when it does not exist yet)."""
    path = Path(path)
    if not path.exists():
        return []
    try:
        if path.is_dir():
            raise UsersFileError(f"{path}: berkas pengguna adalah folder, bukan berkas")
        if path.stat().st_size > MAX_FILE_BYTES:
            raise UsersFileError(f"{path}: berkas pengguna terlalu besar (lebih dari 1 MB)")
        text = path.read_text(encoding="utf-8")
    except UsersFileError:
        raise
    except (OSError, UnicodeDecodeError) as exc:
        raise UsersFileError(f"{path}: berkas pengguna tidak dapat dibaca ({_cause(exc)})") from None
    return _parse(path, text)


def add_user(path: Path, name: str, password: str, now: datetime, *,
             min_length: int = 10) -> User:
    """Add a reviewer (refused when the name exists, is malformed or the password is short)."""
    name = check_name(name)
    if len(password) < min_length:
        raise UserError(f"kata sandi terlalu pendek: minimal {min_length} karakter")
    if len(password) > MAX_PASSWORD_CHARS:
        raise UserError(f"kata sandi terlalu panjang: maksimal {MAX_PASSWORD_CHARS} karakter")
    if now.tzinfo is None:
        raise ValueError("times carry their zone")
    users = load_users(path)
    if any(u.name == name for u in users):
        raise UserError(f"pengguna {name!r} sudah ada di {path}")
    user = User(name=name, added_at=now.isoformat(timespec="seconds"),
                password_hash=hash_password(password))
    _save(path, [*users, user])
    return user


def remove_user(path: Path, name: str) -> User:
    """Remove a reviewer; returns the removed entry (refused for an unknown name)."""
    wanted = name.strip().lower()
    users = load_users(path)
    kept = [u for u in users if u.name != wanted]
    if len(kept) == len(users):
        raise UserError(f"pengguna {name!r} tidak ada di {path}")
    _save(path, kept)
    return next(u for u in users if u.name == wanted)


def check_name(name: str) -> str:
    """The name, lowercased, or UserError when it is not a valid reviewer name."""
    cleaned = name.strip().lower()
    if not NAME.match(cleaned):
        raise UserError(f"nama pengguna {name!r} tidak sah: 2–32 huruf kecil, angka, titik, "
                        "tanda hubung atau garis bawah, diawali huruf atau angka")
    return cleaned


def _parse(path: Path, text: str) -> list[User]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsersFileError(f"{path}: berkas pengguna rusak (bukan JSON yang sah: baris "
                             f"{exc.lineno}, kolom {exc.colno})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT \
            or not isinstance(data.get("users"), list):
        raise UsersFileError(f"{path}: bukan berkas pengguna Pantau (format {FORMAT!r} "
                             "dengan daftar 'users' diharapkan)")
    users, seen = [], set()
    for position, entry in enumerate(data["users"], 1):
        user = _entry(path, position, entry)
        if user.name in seen:
            raise UsersFileError(f"{path}: pengguna ke-{position} ({user.name!r}) tercatat dua kali")
        seen.add(user.name)
        users.append(user)
    return users


def _entry(path: Path, position: int, entry: object) -> User:
    where = f"{path}: pengguna ke-{position}"
    if not isinstance(entry, dict):
        raise UsersFileError(f"{where} bukan objek dengan name, added_at, password")
    name, added, hashed = entry.get("name"), entry.get("added_at"), entry.get("password")
    if not isinstance(name, str) or not NAME.match(name):
        raise UsersFileError(f"{where}: nama tidak sah ({name!r})")
    if not isinstance(added, str) or not isinstance(hashed, str):
        raise UsersFileError(f"{where} ({name}): added_at atau password hilang")
    try:
        _parse_hash(hashed)
    except ValueError:
        raise UsersFileError(f"{where} ({name}): hash kata sandi rusak") from None
    return User(name=name, added_at=added, password_hash=hashed)


def _parse_hash(stored: str) -> tuple[int, int, int, bytes, bytes]:
    parts = stored.split("$")
    if len(parts) != 6 or parts[0] != "scrypt":
        raise ValueError("not a scrypt hash")
    n, r, p = (int(x) for x in parts[1:4])
    if n < 2 or n > 2**20 or n & (n - 1) or not 1 <= r <= 32 or not 1 <= p <= 16:
        raise ValueError("scrypt parameters out of range")
    salt, key = base64.b64decode(parts[4], validate=True), base64.b64decode(parts[5], validate=True)
    if len(salt) < 8 or len(key) < 16:
        raise ValueError("salt or key too short")
    return n, r, p, salt, key


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p,
                          maxmem=256 * 1024 * 1024, dklen=KEY_BYTES)


def _save(path: Path, users: list[User]) -> None:
    """Replace the file atomically; created readable and writable by its owner only."""
    path = Path(path)
    document = {"format": FORMAT,
                "users": [{"name": u.name, "added_at": u.added_at, "password": u.password_hash}
                          for u in users]}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=".pantau-users-", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(document, handle, ensure_ascii=False, indent=2)
                handle.write("\n")
            os.chmod(temp, 0o600)
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise UsersFileError(f"{path}: berkas pengguna tidak dapat ditulis ({_cause(exc)})") from None


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _cause(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or type(exc).__name__
