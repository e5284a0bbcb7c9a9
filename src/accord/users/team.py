"""Owners run the team: change a member's role, deactivate a member, set the workspace's base URL.

Every change is written to the workspace audit log (who, what, when). A workspace never loses its
last active owner: nobody could then invite, change roles or approve beyond limits.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from accord.config import get_settings
from accord.errors import Conflict, Invalid
from accord.users import repository
from accord.users.access import ActorLike, actor_label, require_role
from accord.users.auth import record_audit
from accord.users.models import ROLES, User, Workspace
from accord.users.service import get_user


def _keep_an_owner(db: Session, user: User) -> None:
    """Refuse to demote or deactivate the workspace's only active owner."""
    owners = [u for u in repository.users_in(db, user.workspace_id) if u.role == "owner" and u.active]
    if user.role == "owner" and user.active and len(owners) <= 1:
        raise Conflict(f"{user.name} is the only owner; make someone else owner first.")


def change_role(db: Session, *, actor: ActorLike | None, workspace_id: int, user_id: int, role: str) -> User:
    """Owners decide who does what (roles decide every permission in the services)."""
    require_role(actor, ("owner",), "change roles")
    if role not in ROLES:
        raise Invalid(f"Unknown role '{role}'. Roles: {', '.join(ROLES)}.")
    user = get_user(db, workspace_id=workspace_id, user_id=user_id)
    if user.role == role:
        return user
    if role != "owner":
        _keep_an_owner(db, user)
    before, user.role = user.role, role
    db.flush()
    record_audit(
        db,
        workspace_id=workspace_id,
        actor=actor_label(actor),
        action="role_changed",
        detail=f"{user.email}: {before} -> {role}",
    )
    return user


def deactivate_user(db: Session, *, actor: ActorLike | None, workspace_id: int, user_id: int) -> User:
    """A member who left can no longer sign in or use tokens; their cases and history stay."""
    require_role(actor, ("owner",), "deactivate team members")
    user = get_user(db, workspace_id=workspace_id, user_id=user_id)
    if not user.active:
        return user
    _keep_an_owner(db, user)
    user.active = False
    db.flush()
    repository.bump_session_generation(db, user.id)  # their open browser sessions end now
    db.refresh(user)
    record_audit(
        db, workspace_id=workspace_id, actor=actor_label(actor), action="user_deactivated", detail=user.email
    )
    return user


def reactivate_user(db: Session, *, actor: ActorLike | None, workspace_id: int, user_id: int) -> User:
    """Undo a deactivation (the member signs in with their old password)."""
    require_role(actor, ("owner",), "reactivate team members")
    user = get_user(db, workspace_id=workspace_id, user_id=user_id)
    if not user.active:
        user.active = True
        db.flush()
        record_audit(
            db,
            workspace_id=workspace_id,
            actor=actor_label(actor),
            action="user_reactivated",
            detail=user.email,
        )
    return user


def normalise_base_url(value: str) -> str:
    """`https://desk.example.com/` -> `https://desk.example.com`; anything but http(s) is refused."""
    value = value.strip().rstrip("/")
    if not value:
        return ""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise Invalid(
            f"'{value[:100]}' is not a web address; give one like https://desk.example.com.",
            detail={"field": "base_url"},
        )
    if len(value) > 300:
        raise Invalid("The base URL is longer than 300 characters.", detail={"field": "base_url"})
    return value


def set_base_url(db: Session, *, actor: ActorLike | None, workspace: Workspace, base_url: str) -> Workspace:
    """The address links in mails point at (confirmations, follow-ups, invitations); empty: the request's."""
    require_role(actor, ("owner",), "change the base URL")
    value = normalise_base_url(base_url)
    if value != workspace.base_url:
        before, workspace.base_url = workspace.base_url, value
        db.flush()
        record_audit(
            db,
            workspace_id=workspace.id,
            actor=actor_label(actor),
            action="base_url_changed",
            detail=f"{before or '(from the request)'} -> {value or '(from the request)'}",
        )
    return workspace


def public_base_url(workspace: Workspace | None, request_base_url: str | None = None) -> str:
    """Where links must point: the workspace's setting, else the address the request came to, else
    ACCORD_BASE_URL (jobs have no request). Never a fixed port."""
    if workspace is not None and workspace.base_url:
        return workspace.base_url
    if request_base_url:
        return request_base_url.rstrip("/")
    return get_settings().base_url.rstrip("/")


def base_url_mismatch(workspace: Workspace, request_base_url: str) -> str | None:
    """A warning when links would not point where this page was opened: the configured base URL differs,
    or none is set and the worker's fallback (ACCORD_BASE_URL, for follow-ups sent later) differs."""
    seen = request_base_url.rstrip("/")
    if workspace.base_url:
        if workspace.base_url.lower() == seen.lower():
            return None
        return (
            f"Links in mails point at {workspace.base_url}, but you opened this page at {seen}. "
            "If clients cannot reach the configured address, change it."
        )
    fallback = get_settings().base_url.rstrip("/")
    if fallback.lower() == seen.lower():
        return None
    return (
        f"No base URL is set: links sent from pages use the address of the page, but follow-ups the "
        f"worker sends later point at {fallback} (ACCORD_BASE_URL). Set the base URL to fix it."
    )
