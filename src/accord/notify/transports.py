"""Transports: email over SMTP and signed JSON webhooks; both raise DeliveryError on failure."""

from __future__ import annotations

import hashlib
import hmac
import json
import smtplib
import time
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

import httpx

from accord.config import Settings, get_settings

SIGNATURE_HEADER = "X-Accord-Signature"
RETRY_PAUSE = 0.2  # seconds before the first in-call retry; doubles each time
SMTP_TIMEOUT = 20


class DeliveryError(Exception):
    """A failed attempt; `permanent` means retrying cannot help (e.g. a 4xx answer)."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


def _smtp_error(exc: Exception) -> DeliveryError:
    """5xx answers are permanent (retrying cannot help); 4xx, timeouts and refused connections are not."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        return DeliveryError(f"recipient refused: {exc.recipients}", permanent=all(c >= 500 for c in codes))
    code = getattr(exc, "smtp_code", 0)
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return DeliveryError(f"SMTP login refused ({code}): check ACCORD_SMTP_USER and ACCORD_SMTP_PASSWORD")
    if isinstance(code, int) and code >= 500:
        return DeliveryError(f"SMTP refused ({code}): {getattr(exc, 'smtp_error', exc)!r}", permanent=True)
    return DeliveryError(f"SMTP error: {exc}")


def _connect(settings: Settings) -> smtplib.SMTP:
    """A connection as ACCORD_SMTP_TLS says: implicit TLS, STARTTLS, or plain (loopback relays)."""
    if settings.smtp_tls == "ssl":
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(settings.smtp_host, settings.smtp_port, timeout=SMTP_TIMEOUT)
    else:
        smtp = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=SMTP_TIMEOUT)
        if settings.smtp_tls == "starttls":
            smtp.starttls()
    if settings.smtp_user:
        smtp.login(settings.smtp_user, settings.smtp_password)
    return smtp


def build_email(*, to: str, subject: str, body: str, headers: dict[str, str] | None = None) -> EmailMessage:
    """The message as it goes on the wire; `headers` carry Message-ID, threading and Auto-Submitted."""
    settings = get_settings()
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = settings.smtp_from, to, subject
    msg["Date"] = formatdate(localtime=False)
    for name, value in (headers or {}).items():
        if value:
            msg[name] = value
    if "Message-ID" not in msg:
        msg["Message-ID"] = make_msgid(domain=settings.mail_domain)
    msg.set_content(body)
    return msg


def send_email(*, to: str, subject: str, body: str, headers: dict[str, str] | None = None) -> None:
    """Send one plain-text email through the configured SMTP server (P22: the client hears from us)."""
    msg = build_email(to=to, subject=subject, body=body, headers=headers)
    try:
        with _connect(get_settings()) as smtp:
            smtp.send_message(msg)
    except (OSError, smtplib.SMTPException) as exc:
        raise _smtp_error(exc) from exc


def sign(body: bytes, secret: str) -> str:
    """HMAC-SHA256 of the exact request body, hex, prefixed like 'sha256=...'."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def post_webhook(*, url: str, payload: dict[str, Any], tries: int = 3) -> int:
    """POST signed JSON; 5xx and network errors are retried with exponential backoff, 4xx is final.

    Returns the receiver's (2xx) status code, which the settings page shows after a test delivery.
    """
    body = json.dumps(payload, sort_keys=True, default=str).encode()
    headers = {"Content-Type": "application/json", SIGNATURE_HEADER: sign(body, get_settings().secret_key)}
    error = "no attempt"
    for attempt in range(tries):
        if attempt:
            time.sleep(RETRY_PAUSE * 2 ** (attempt - 1))
        try:
            response = httpx.post(url, content=body, headers=headers, timeout=10)
        except httpx.HTTPError as exc:
            error = f"network error: {exc}"
            continue
        if response.status_code < 300:
            return response.status_code
        error = f"HTTP {response.status_code}"
        if response.status_code < 500:
            raise DeliveryError(f"webhook refused: {error}", permanent=True)
    raise DeliveryError(f"webhook failed after {tries} tries: {error}")
