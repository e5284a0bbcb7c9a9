"""Webhooks (add, remove, a signed test delivery, the last answers) and the SMTP test mail, on real
servers: an HTTP receiver checking the HMAC signature and aiosmtpd (issue 20, P22)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from accord.cadence import service as cadence
from accord.clock import frozen
from accord.config import get_settings
from accord.errors import Conflict, Forbidden, Invalid
from accord.notify import mail_check, webhooks
from accord.notify import service as notify
from accord.users import auth
from tests.helpers import create_agent, create_case, create_client, create_owner, create_workspace
from tests.notify.test_transports import _hook, _Inbox, _Receiver, smtp  # noqa: F401  (fixture)

MON_10 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


@pytest.fixture
def receiver() -> Iterator[_Receiver]:
    yield from _hook([200])


@pytest.fixture
def gone() -> Iterator[_Receiver]:
    yield from _hook([410])


def test_a_test_delivery_reaches_the_receiver_signed_and_its_answer_is_kept(
    db: Session, receiver: _Receiver
) -> None:
    ws = create_workspace(db)
    owner = create_owner(db, ws)
    hook = webhooks.add_webhook(db, actor=owner, workspace_id=ws.id, url=receiver.url)
    webhooks.send_test_delivery(db, actor=owner, workspace_id=ws.id, webhook_id=hook.id)
    assert [b["event"] for b in receiver.bodies] == ["test"] and receiver.valid == [True]
    assert hook.last_result == "HTTP 200: delivered"
    actions = [e["action"] for e in auth.export_audit(db, workspace_id=ws.id)]
    assert [a for a in actions if a.startswith("webhook")] == ["webhook_added", "webhook_tested"]


def test_a_refusing_receiver_shows_as_a_failed_test(db: Session, gone: _Receiver) -> None:
    ws = create_workspace(db)
    owner = create_owner(db, ws)
    hook = webhooks.add_webhook(db, actor=owner, workspace_id=ws.id, url=gone.url)
    webhooks.send_test_delivery(db, actor=owner, workspace_id=ws.id, webhook_id=hook.id)
    assert hook.last_result == "failed: webhook refused: HTTP 410"


def test_escalations_go_to_every_webhook_and_show_as_its_last_events(
    db: Session, receiver: _Receiver
) -> None:
    with frozen(MON_10) as clock:
        ws = create_workspace(db)
        owner = create_owner(db, ws)
        case = create_case(db, create_client(db, ws), owner, severity=4)
        webhooks.add_webhook(db, actor=owner, workspace_id=ws.id, url=receiver.url)
        webhooks.add_webhook(db, actor=owner, workspace_id=ws.id, url="http://127.0.0.1:9/second")
        clock.advance(timedelta(hours=3))
        cadence.sweep_due(db)
        notify.deliver_pending(db)
    rows = webhooks.recent_deliveries(db, workspace_id=ws.id, url=receiver.url)
    assert [(r.payload["event"], r.payload["case"], r.state) for r in rows] == [
        ("escalation", case.reference, "sent")
    ]
    assert len(webhooks.recent_deliveries(db, workspace_id=ws.id, url="http://127.0.0.1:9/second")) == 1


def test_a_webhook_must_be_a_web_address_and_added_once(db: Session) -> None:
    ws = create_workspace(db)
    owner = create_owner(db, ws)
    with pytest.raises(Invalid, match="http"):
        webhooks.add_webhook(db, actor=owner, workspace_id=ws.id, url="file:///etc/passwd")
    webhooks.add_webhook(db, actor=owner, workspace_id=ws.id, url="https://hooks.north.example/a")
    with pytest.raises(Conflict):
        webhooks.add_webhook(db, actor=owner, workspace_id=ws.id, url="https://hooks.north.example/a")


def test_an_agent_cannot_add_or_remove_webhooks(db: Session) -> None:
    ws = create_workspace(db)
    owner, agent = create_owner(db, ws), create_agent(db, ws)
    hook = webhooks.add_webhook(db, actor=owner, workspace_id=ws.id, url="https://hooks.north.example/a")
    with pytest.raises(Forbidden):
        webhooks.add_webhook(db, actor=agent, workspace_id=ws.id, url="https://hooks.north.example/b")
    with pytest.raises(Forbidden):
        webhooks.remove_webhook(db, actor=agent, workspace_id=ws.id, webhook_id=hook.id)


def test_a_test_mail_arrives_and_says_so(db: Session, smtp: _Inbox) -> None:  # noqa: F811
    ws = create_workspace(db)
    owner = create_owner(db, ws)
    result = mail_check.send_test_mail(db, actor=owner, workspace_id=ws.id, recipient="Ops@North.example")
    assert result.ok and "Sent to ops@north.example" in result.message
    assert [(m["To"], m["Subject"]) for m in smtp.messages] == [("ops@north.example", "Accord test mail")]


def test_a_test_mail_to_a_dead_server_shows_the_reason(db: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACCORD_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("ACCORD_SMTP_PORT", "9")  # discard port: nothing listens
    get_settings.cache_clear()
    ws = create_workspace(db)
    owner = create_owner(db, ws)
    try:
        result = mail_check.send_test_mail(db, actor=owner, workspace_id=ws.id, recipient="ops@north.example")
    finally:
        get_settings.cache_clear()
    assert not result.ok and result.message.startswith("Not sent: SMTP error")
    assert "test_mail_failed" in [e["action"] for e in auth.export_audit(db, workspace_id=ws.id)]
