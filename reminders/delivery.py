"""Sending one message: SMTP (none, STARTTLS or SSL) or Apprise, with retries.

A send never raises for a delivery problem: it returns a ``Delivery`` that says ``sent`` or
``failed`` with the last error, after ``reminders.send_retries`` retries spaced by
``reminders.retry_backoff`` seconds, doubled each time. Every retry opens a new connection.

The SMTP password comes from ``PANTAU_SMTP_PASSWORD`` or, when that is empty, from the file
``smtp.password_file``; it is read when needed and is never part of an error, a log line or
the database. Apprise URLs hold tokens too: only their scheme is ever logged.
"""

from __future__ import annotations

import smtplib
import ssl
import time
from collections.abc import Callable
from pathlib import Path

from core.clock import local_now
from core.settings import Settings, SmtpSettings
from reminders.compose import email_message
from reminders.model import APPRISE, EMAIL, Delivery, Message


class SmtpNotConfigured(RuntimeError):
    """Sending was asked for but ``PANTAU_SMTP_HOST`` is empty."""

    def __init__(self):
        super().__init__(
            "SMTP belum dikonfigurasi: setel PANTAU_SMTP_HOST (dan PANTAU_SMTP_PORT, "
            "PANTAU_SMTP_USER, PANTAU_SMTP_PASSWORD, PANTAU_SMTP_FROM, PANTAU_SMTP_SECURITY), "
            "atau jalankan dengan --dry-run untuk melihat pesan tanpa mengirim.")


def apprise_available() -> bool:
    """Whether the optional Apprise package (``.[reminders]``) is installed."""
    try:
        import apprise  # noqa: F401
    except ImportError:
        return False
    return True


def smtp_password(smtp: SmtpSettings) -> str:
    """The SMTP password from the setting or, when empty, from the password file; never logged."""
    if smtp.password:
        return smtp.password
    if smtp.password_file:
        try:
            return Path(smtp.password_file).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise smtplib.SMTPException(
                f"berkas kata sandi SMTP tidak dapat dibaca: {exc.strerror or type(exc).__name__}"
            ) from None
    return ""


def open_smtp(smtp: SmtpSettings) -> smtplib.SMTP:
    """A connected (and, if configured, encrypted and logged-in) SMTP client."""
    if not smtp.host:
        raise SmtpNotConfigured()
    context = None
    if smtp.security in ("ssl", "starttls"):
        context = ssl.create_default_context(cafile=smtp.ca_file or None)
    if smtp.security == "ssl":
        client: smtplib.SMTP = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=smtp.timeout,
                                                context=context)
    else:
        client = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout)
    try:
        if smtp.security == "starttls":
            client.starttls(context=context)
        if smtp.user:
            client.login(smtp.user, smtp_password(smtp))
    except BaseException:
        client.close()
        raise
    return client


def send_email(message: Message, smtp: SmtpSettings) -> str | None:
    """Send once; raises on failure. Returns a note on recipients the server refused while
    accepting the others (the message counts as sent)."""
    mail = email_message(message, smtp.sender)
    client = open_smtp(smtp)
    try:
        refused = client.send_message(mail, from_addr=smtp.sender,
                                      to_addrs=list(message.to) + list(message.cc))
    finally:
        try:
            client.quit()
        except (smtplib.SMTPException, OSError):
            client.close()
    if refused:
        return "penerima ditolak server: " + "; ".join(
            f"{addr} ({code} {_text(reply)})" for addr, (code, reply) in sorted(refused.items()))
    return None


def send_apprise(message: Message, urls: tuple[str, ...]) -> str | None:
    """Send one message to every Apprise URL; a note on partial failure, or None."""
    import apprise

    notifier = apprise.Apprise()
    for url in urls:
        if not notifier.add(url):
            raise RuntimeError(f"URL Apprise tidak valid (skema {url.split(':', 1)[0]!r})")
    if not notifier.notify(title=message.subject, body=message.text):
        raise RuntimeError(f"Apprise: pengiriman gagal ke sebagian atau semua dari {len(urls)} URL")
    return None


def describe_error(exc: BaseException) -> str:
    """The error as logged: the SMTP code and reply, never a credential."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "semua penerima ditolak: " + "; ".join(
            f"{addr} ({code} {_text(reply)})" for addr, (code, reply) in sorted(exc.recipients.items()))
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"SMTP {exc.smtp_code}: {_text(exc.smtp_error)}"
    if isinstance(exc, SmtpNotConfigured):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


def _text(value) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def deliver(message: Message, settings: Settings, *,
            sleep: Callable[[float], None] = time.sleep) -> Delivery:
    """Send one message with retries; the outcome, never an exception for a failed send."""
    retries = max(0, settings.reminders.send_retries)
    delay = settings.reminders.retry_backoff
    last_error = None
    for attempt in range(1, retries + 2):
        try:
            if message.channel == EMAIL:
                note = send_email(message, settings.smtp)
            elif message.channel == APPRISE:
                note = send_apprise(message, settings.reminders.apprise_urls)
            else:
                raise ValueError(f"unknown channel {message.channel!r}")
            return Delivery(status="sent", attempts=attempt, error=note, sent_at=local_now(settings))
        except SmtpNotConfigured as exc:
            return Delivery(status="failed", attempts=attempt, error=str(exc))
        except (smtplib.SMTPException, OSError, RuntimeError) as exc:
            last_error = describe_error(exc)
        if attempt <= retries and delay > 0:
            sleep(delay * 2 ** (attempt - 1))
    return Delivery(status="failed", attempts=retries + 1, error=last_error)
