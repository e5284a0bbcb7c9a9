"""The SMTP settings as the settings page shows them, and a test mail sent on request (P22 needs mail)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from accord.config import get_settings
from accord.errors import Invalid
from accord.notify import transports
from accord.users.access import ActorLike, require_role
from accord.users.auth import record_audit
from accord.users.service import EMAIL_PATTERN

MANAGERS = ("owner", "lead")


@dataclass(frozen=True)
class SmtpSummary:
    """What the server sends through; the password is never shown, only whether one is set."""

    host: str
    port: int
    tls: str
    sender: str
    user: str
    has_password: bool


@dataclass(frozen=True)
class MailCheckResult:
    """What happened when the test mail was handed to the SMTP server."""

    ok: bool
    recipient: str
    message: str


def smtp_summary() -> SmtpSummary:
    """The ACCORD_SMTP_* settings in use."""
    s = get_settings()
    return SmtpSummary(s.smtp_host, s.smtp_port, s.smtp_tls, s.smtp_from, s.smtp_user, bool(s.smtp_password))


def send_test_mail(db: Session, *, actor: ActorLike, workspace_id: int, recipient: str) -> MailCheckResult:
    """Send one mail now (not via the outbox) so the person who asked sees the server's answer at once."""
    require_role(actor, MANAGERS, "send a test mail")
    recipient = recipient.strip().lower()
    if not EMAIL_PATTERN.match(recipient) or len(recipient) > 320:
        raise Invalid(f"'{recipient[:100]}' is not a valid email address.", detail={"field": "recipient"})
    summary = smtp_summary()
    body = (
        f"This is a test mail from Accord, sent by {actor.name}.\n"
        f"It went through {summary.host}:{summary.port}; if you read it, mail to clients can go out too.\n"
    )
    try:
        transports.send_email(to=recipient, subject="Accord test mail", body=body)
        result = MailCheckResult(
            True, recipient, f"Sent to {recipient} through {summary.host}:{summary.port}."
        )
    except transports.DeliveryError as exc:
        result = MailCheckResult(False, recipient, f"Not sent: {exc}")
    record_audit(
        db,
        workspace_id=workspace_id,
        actor=actor.name,
        action="test_mail_sent" if result.ok else "test_mail_failed",
        detail=result.message,
    )
    return result
