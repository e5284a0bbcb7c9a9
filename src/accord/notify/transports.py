"""Transports: email over SMTP and signed JSON webhooks; both raise DeliveryError on failure."""

from __future__ import annotations

import hashlib
import hmac
import json
import smtplib
import time
from email.message import EmailMessage
from typing import Any

import httpx

from accord.config import get_settings

SIGNATURE_HEADER = "X-Accord-Signature"
RETRY_PAUSE = 0.2  # seconds before the first in-call retry; doubles each time


class DeliveryError(Exception):
    """A failed attempt; `permanent` means retrying cannot help (e.g. a 4xx answer)."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


def send_email(*, to: str, subject: str, body: str) -> None:
    """Send one plain-text email through the configured SMTP server."""
    settings = get_settings()
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = settings.smtp_from, to, subject
    msg.set_content(body)
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=10) as smtp:
            smtp.send_message(msg)
    except smtplib.SMTPRecipientsRefused as exc:
        raise DeliveryError(f"recipient refused: {exc}", permanent=True) from exc
    except (OSError, smtplib.SMTPException) as exc:
        raise DeliveryError(f"SMTP error: {exc}") from exc


def sign(body: bytes, secret: str) -> str:
    """HMAC-SHA256 of the exact request body, hex, prefixed like 'sha256=...'."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def post_webhook(*, url: str, payload: dict[str, Any], tries: int = 3) -> None:
    """POST signed JSON; 5xx and network errors are retried with exponential backoff, 4xx is final."""
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
            return
        error = f"HTTP {response.status_code}"
        if response.status_code < 500:
            raise DeliveryError(f"webhook refused: {error}", permanent=True)
    raise DeliveryError(f"webhook failed after {tries} tries: {error}")
