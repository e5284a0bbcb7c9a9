"""Invitations: an owner names an email and a role; the invitee follows a one-time link, sets a name
and a password, and is a member. The link works once and for INVITATION_VALID; only its sha256 is kept.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from accord.clock import now
from accord.errors import AccordError, Conflict, Invalid
from accord.users import repository
from accord.users.access import ActorLike, actor_label, require_role
from accord.users.auth import record_audit
from accord.users.models import ROLES, Invitation, User, Workspace
from accord.users.service import EMAIL_PATTERN, add_user

INVITATION_VALID = timedelta(days=3)
MIN_PASSWORD = 10


class InvitationRefused(AccordError):
    """An invitation link that cannot be used; the message says why, in plain words."""

    code = "invitation_refused"
    status = 410


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_url(base_url: str, token: str) -> str:
    """The address the invitee opens (base URL from the workspace setting or the request)."""
    return f"{base_url.rstrip('/')}/invite/{token}"


def create_invitation(
    db: Session, *, actor: ActorLike | None, workspace: Workspace, email: str, role: str = "agent"
) -> tuple[Invitation, str]:
    """Only owners invite (as only they add members); the plain token is returned once, never stored."""
    require_role(actor, ("owner",), "invite team members")
    email = email.strip().lower()
    if not EMAIL_PATTERN.match(email) or len(email) > 320:
        raise Invalid(f"'{email}' is not a valid email address.")
    if role not in ROLES:
        raise Invalid(f"Unknown role '{role}'. Roles: {', '.join(ROLES)}.")
    if repository.user_by_email(db, email) is not None:
        raise Conflict(f"{email} is already a member.")
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        workspace_id=workspace.id,
        email=email,
        role=role,
        token_hash=_digest(token),
        invited_by_id=actor.id if actor else None,
        created_at=now(),
        expires_at=now() + INVITATION_VALID,
    )
    db.add(invitation)
    db.flush()
    record_audit(
        db,
        workspace_id=workspace.id,
        actor=actor_label(actor),
        action="invitation_created",
        detail=f"{email} as {role}",
    )
    return invitation, token


def list_invitations(db: Session, *, actor: ActorLike, workspace_id: int) -> list[Invitation]:
    """The workspace's invitations, newest first (used, expired and open alike)."""
    stmt = select(Invitation).where(Invitation.workspace_id == workspace_id).order_by(Invitation.id.desc())
    return list(db.scalars(stmt.limit(50)))


def read_invitation(db: Session, *, token: str) -> Invitation:
    """The open invitation behind a link, or InvitationRefused saying plainly why not."""
    invitation = db.scalar(select(Invitation).where(Invitation.token_hash == _digest(token[:200])))
    if invitation is None:
        raise InvitationRefused(
            "This invitation link is not valid. It may have been copied incompletely; "
            "ask whoever invited you for a new one."
        )
    if invitation.used_at is not None:
        raise InvitationRefused(
            "This invitation was already used. Sign in with your email and password, "
            "or ask for a new invitation.",
            code="invitation_used",
        )
    if invitation.expires_at <= now():
        raise InvitationRefused(
            f"This invitation expired on {invitation.expires_at:%d %b %Y at %H:%M} UTC. "
            "Ask whoever invited you for a new one.",
            code="invitation_expired",
        )
    return invitation


def accept_invitation(db: Session, *, token: str, name: str, password: str) -> User:
    """Create the member from the invitation; the link is claimed by a guarded UPDATE, so it works once."""
    invitation = read_invitation(db, token=token)
    if not name.strip() or len(name.strip()) > 200:
        raise Invalid("Give your name (1 to 200 characters).", detail={"field": "name"})
    if len(password) < MIN_PASSWORD or len(password) > 1000:
        raise Invalid(
            f"Choose a password of at least {MIN_PASSWORD} characters.", detail={"field": "password"}
        )
    if repository.user_by_email(db, invitation.email) is not None:
        raise InvitationRefused(
            f"{invitation.email} is already a member; sign in instead.", code="invitation_used"
        )
    claimed = db.execute(
        update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.used_at.is_(None))
        .values(used_at=now())
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        raise InvitationRefused("This invitation was already used.", code="invitation_used")
    workspace = db.get(Workspace, invitation.workspace_id)
    assert workspace is not None
    user, _ = add_user(
        db,
        actor=None,
        workspace=workspace,
        name=name,
        email=invitation.email,
        role=invitation.role,
        password=password,
    )
    db.refresh(invitation)
    invitation.user_id = user.id
    db.flush()
    record_audit(
        db,
        workspace_id=workspace.id,
        actor=user.email,
        action="invitation_accepted",
        detail=f"as {user.role}",
    )
    return user
