"""Outbox delivery over a real SMTP server (aiosmtpd) and a real HTTP receiver checking HMAC signatures."""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import threading
from collections.abc import Iterator
from datetime import timedelta
from email import message_from_bytes
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy.orm import Session

from accord.clock import frozen, now
from accord.config import get_settings
from accord.notify import service as notify
from accord.notify import transports
from accord.notify.transports import SIGNATURE_HEADER


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture
def smtp(monkeypatch: pytest.MonkeyPatch) -> Iterator[_Inbox]:
    """A real SMTP server on a free loopback port, wired into the settings."""
    inbox, port = _Inbox(), _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setenv("ACCORD_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("ACCORD_SMTP_PORT", str(port))
    get_settings.cache_clear()
    yield inbox
    controller.stop()
    get_settings.cache_clear()


class _Receiver:
    """A local webhook endpoint: answers the scripted statuses in turn, records what it got."""

    def __init__(self, statuses: list[int]) -> None:
        self.statuses, self.bodies, self.valid = statuses, [], []  # type: ignore[var-annotated]
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                key = get_settings().secret_key.encode()
                expected = "sha256=" + hmac.new(key, body, hashlib.sha256).hexdigest()
                receiver.valid.append(hmac.compare_digest(expected, self.headers.get(SIGNATURE_HEADER, "")))
                receiver.bodies.append(json.loads(body))
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                return None

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _hook(statuses: list[int]) -> Iterator[_Receiver]:
    receiver = _Receiver(statuses)
    yield receiver
    receiver.close()


@pytest.fixture
def flaky() -> Iterator[_Receiver]:
    yield from _hook([500, 500])


@pytest.fixture
def refusing() -> Iterator[_Receiver]:
    yield from _hook([410])


@pytest.fixture
def down() -> Iterator[_Receiver]:
    yield from _hook([500] * 100)


def test_an_email_row_is_delivered_over_smtp(db: Session, smtp: _Inbox) -> None:
    row = notify.enqueue(
        db,
        key="t:mail:1",
        recipient="adam@desk.example",
        subject="Due: ACC-1001",
        body="Acknowledge ACC-1001 by 11:00.",
    )
    assert notify.deliver_pending(db) == 1
    assert row is not None and row.state == "sent"
    assert [(m["To"], m["Subject"]) for m in smtp.messages] == [("adam@desk.example", "Due: ACC-1001")]


def test_the_same_key_is_written_only_once(db: Session) -> None:
    first = notify.enqueue(db, key="t:once", recipient="a@desk.example", body="one")
    second = notify.enqueue(db, key="t:once", recipient="a@desk.example", body="two")
    assert first is not None and second is None
    assert [r.body for r in notify.list_outbox(db) if r.key == "t:once"] == ["one"]


def test_an_unreachable_mail_server_is_retried_later_not_dropped(
    db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ACCORD_SMTP_PORT", str(_free_port()))
    get_settings.cache_clear()
    row = notify.enqueue(db, key="t:mail:down", recipient="a@desk.example", body="hello")
    notify.deliver_pending(db)
    get_settings.cache_clear()
    assert row is not None
    assert (row.state, row.attempts) == ("pending", 1)
    assert row.next_attempt_at > now() and "SMTP" in row.last_error


def test_a_webhook_is_signed_and_retried_after_server_errors(db: Session, flaky: _Receiver) -> None:
    row = notify.enqueue(
        db,
        key="t:hook:1",
        recipient=flaky.url,
        transport="webhook",
        payload={"event": "reminder", "case": "ACC-1001"},
    )
    notify.deliver_pending(db)
    assert row is not None and row.state == "sent"
    assert len(flaky.bodies) == 3 and all(flaky.valid)
    assert flaky.bodies[-1] == {"case": "ACC-1001", "event": "reminder"}


def test_a_refused_webhook_is_recorded_as_a_permanent_failure(db: Session, refusing: _Receiver) -> None:
    row = notify.enqueue(db, key="t:hook:gone", recipient=refusing.url, transport="webhook", payload={"a": 1})
    notify.deliver_pending(db)
    assert row is not None
    assert (row.state, row.last_error) == ("failed", "webhook refused: HTTP 410")
    assert notify.list_outbox(db, state="failed")[0].key == "t:hook:gone"


def test_a_webhook_that_keeps_failing_ends_failed_with_its_error(
    db: Session, down: _Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(transports, "RETRY_PAUSE", 0.01)
    row = notify.enqueue(db, key="t:hook:down", recipient=down.url, transport="webhook", payload={"a": 1})
    with frozen(now()) as clock:
        for _ in range(notify.MAX_ATTEMPTS):
            notify.deliver_pending(db)
            clock.advance(timedelta(hours=1))
    assert row is not None
    assert (row.state, row.attempts) == ("failed", notify.MAX_ATTEMPTS)
    assert "HTTP 500" in row.last_error


def test_backoff_grows_exponentially() -> None:
    assert [notify.backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
