"""Webhooks a workspace sends its events to, a test delivery, and the last answers each URL gave."""

from __future__ import annotations

from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.clock import now
from accord.errors import Conflict, Invalid, NotFound
from accord.notify import transports
from accord.notify.models import OutboxMessage, Webhook
from accord.users.access import ActorLike, require_role
from accord.users.auth import record_audit

MANAGERS = ("owner", "lead")
MAX_HOOKS = 20


def _clean_url(url: str) -> str:
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or len(url) > 500:
        raise Invalid(
            "A webhook needs an http(s) address of up to 500 characters, like https://hooks.example.com/accord.",
            detail={"field": "url"},
        )
    return url


def list_webhooks(db: Session, *, workspace_id: int) -> list[Webhook]:
    """The workspace's webhooks, oldest first."""
    stmt = select(Webhook).where(Webhook.workspace_id == workspace_id).order_by(Webhook.id)
    return list(db.scalars(stmt))


def webhook_urls(db: Session, *, workspace_id: int) -> list[str]:
    """Where the workspace's events go (the cadence sweep posts reminders and escalations here)."""
    return [hook.url for hook in list_webhooks(db, workspace_id=workspace_id)]


def add_webhook(db: Session, *, actor: ActorLike, workspace_id: int, url: str) -> Webhook:
    """Owners and leads decide where events go; one row per URL."""
    require_role(actor, MANAGERS, "add a webhook")
    url = _clean_url(url)
    hooks = list_webhooks(db, workspace_id=workspace_id)
    if any(hook.url == url for hook in hooks):
        raise Conflict(f"{url} is already a webhook.")
    if len(hooks) >= MAX_HOOKS:
        raise Conflict(f"A workspace has at most {MAX_HOOKS} webhooks; remove one first.")
    hook = Webhook(workspace_id=workspace_id, url=url, created_at=now(), last_result="")
    db.add(hook)
    db.flush()
    record_audit(db, workspace_id=workspace_id, actor=actor.name, action="webhook_added", detail=url)
    return hook


def _hook(db: Session, workspace_id: int, webhook_id: int) -> Webhook:
    hook = db.get(Webhook, webhook_id)
    if hook is None or hook.workspace_id != workspace_id:
        raise NotFound(f"No webhook {webhook_id}.")
    return hook


def remove_webhook(db: Session, *, actor: ActorLike, workspace_id: int, webhook_id: int) -> Webhook:
    """Stop sending events to a URL; deliveries already queued still go out (they were promised)."""
    require_role(actor, MANAGERS, "remove a webhook")
    hook = _hook(db, workspace_id, webhook_id)
    db.delete(hook)
    db.flush()
    record_audit(db, workspace_id=workspace_id, actor=actor.name, action="webhook_removed", detail=hook.url)
    return hook


def send_test_delivery(db: Session, *, actor: ActorLike, workspace_id: int, webhook_id: int) -> Webhook:
    """Post one signed test event now and keep the answer (status code or error) on the webhook.

    The network call comes before any write, so no database lock is held while the receiver answers.
    """
    require_role(actor, MANAGERS, "test a webhook")
    hook = _hook(db, workspace_id, webhook_id)
    payload = {"event": "test", "workspace_id": workspace_id, "sent_by": actor.name, "at": now().isoformat()}
    try:
        status = transports.post_webhook(url=hook.url, payload=payload, tries=1)
        result = f"HTTP {status}: delivered"
    except transports.DeliveryError as exc:
        result = f"failed: {exc}"
    hook.last_tested_at, hook.last_result = now(), result[:500]
    db.flush()
    record_audit(
        db,
        workspace_id=workspace_id,
        actor=actor.name,
        action="webhook_tested",
        detail=f"{hook.url} {result}",
    )
    return hook


def recent_deliveries(db: Session, *, workspace_id: int, url: str, limit: int = 5) -> list[OutboxMessage]:
    """The last events queued for a URL with their state and the receiver's error, newest first."""
    stmt = (
        select(OutboxMessage)
        .where(
            OutboxMessage.workspace_id == workspace_id,
            OutboxMessage.transport == "webhook",
            OutboxMessage.recipient == url,
        )
        .order_by(OutboxMessage.id.desc())
        .limit(limit)
    )
    return list(db.scalars(stmt))
