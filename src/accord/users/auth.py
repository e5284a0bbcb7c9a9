"""Password sign-in with lockout and backoff, and the workspace audit log."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.clock import now
from accord.errors import NotFound, Unauthorized
from accord.users import repository
from accord.users.access import require_role
from accord.users.models import AuditEvent, User
from accord.users.service import verify_password

FREE_ATTEMPTS = 3
BASE_LOCK = timedelta(seconds=30)
MAX_LOCK = timedelta(hours=1)
_FAILED = "Wrong email or password."


def lock_duration(failed_logins: int) -> timedelta:
    """Backoff: after FREE_ATTEMPTS failures each further one doubles the lock (30 s, 1 min, ... 1 h)."""
    if failed_logins < FREE_ATTEMPTS:
        return timedelta(0)
    return min(BASE_LOCK * (2 ** (failed_logins - FREE_ATTEMPTS)), MAX_LOCK)


def authenticate(db: Session, *, email: str, password: str) -> User:
    """The active user with this email and password, or Unauthorized (same message for every cause)."""
    user = repository.user_by_email(db, email[:320])
    if user is None or not user.active:
        verify_password(password, None)
        record_audit(db, workspace_id=None, actor=email[:320], action="login_failed", detail="unknown user")
        raise Unauthorized(_FAILED)
    moment = now()
    failures = repository.claim_login_attempt(db, user.id, moment)  # atomic: parallel tries queue here
    db.refresh(user)
    if failures is None:
        record_audit(db, workspace_id=user.workspace_id, actor=user.email, action="login_locked")
        wait = int((user.locked_until - moment).total_seconds()) + 1 if user.locked_until else 1
        raise Unauthorized(f"Too many failed sign-ins; try again in {wait} seconds.", code="locked")
    if not verify_password(password, user.password_hash):
        delay = lock_duration(failures)
        repository.set_login_state(
            db, user.id, failed_logins=None, locked_until=moment + delay if delay else None
        )
        record_audit(db, workspace_id=user.workspace_id, actor=user.email, action="login_failed")
        db.refresh(user)
        raise Unauthorized(_FAILED)
    repository.set_login_state(db, user.id, failed_logins=0, locked_until=None)
    record_audit(db, workspace_id=user.workspace_id, actor=user.email, action="login")
    db.refresh(user)
    return user


def record_audit(
    db: Session, *, workspace_id: int | None, actor: str, action: str, detail: str = ""
) -> AuditEvent:
    """Append one audit event (who, what, when) in the caller's transaction."""
    event = AuditEvent(
        workspace_id=workspace_id, actor=actor[:320], action=action[:40], detail=detail[:1000], at=now()
    )
    db.add(event)
    db.flush()
    return event


def export_audit(db: Session, *, workspace_id: int) -> list[dict[str, Any]]:
    """The workspace's audit log, oldest first, as plain rows."""
    stmt = select(AuditEvent).where(AuditEvent.workspace_id == workspace_id).order_by(AuditEvent.id)
    rows = db.scalars(stmt)
    return [{"at": e.at.isoformat(), "actor": e.actor, "action": e.action, "detail": e.detail} for e in rows]


def sign_out_everywhere(db: Session, *, actor: User | None, user: User) -> None:
    """End all of a user's browser sessions (sign-out, a lost laptop); owners may do it for anyone."""
    if actor is not None and actor.id != user.id:
        require_role(actor, ("owner",), "sign out other team members")
        if actor.workspace_id != user.workspace_id:
            raise NotFound(f"No user with id {user.id}.")
    repository.bump_session_generation(db, user.id)
    db.refresh(user)
    record_audit(
        db,
        workspace_id=user.workspace_id,
        actor=actor.email if actor else "system",
        action="signed_out",
        detail=f"all sessions of {user.email}",
    )
