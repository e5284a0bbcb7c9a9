"""Workspaces and team members: the only writer of users."""

from __future__ import annotations

import re
import secrets

from pwdlib import PasswordHash
from sqlalchemy.orm import Session

from accord.errors import Conflict, Invalid, NotFound
from accord.users import repository
from accord.users.access import ActorLike, require_role
from accord.users.models import ROLES, User, Workspace

EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_hasher = PasswordHash.recommended()


def hash_password(password: str) -> str:
    """Argon2 hash of a password."""
    return _hasher.hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    """Check a password against its hash; a user without one never matches."""
    if not password_hash:
        return False
    try:
        return _hasher.verify(password, password_hash)
    except Exception:
        return False


def ensure_workspace(db: Session, *, slug: str = "default", name: str = "My business") -> Workspace:
    """Return the workspace with `slug`, creating it on first use (accord init)."""
    workspace = repository.workspace_by_slug(db, slug)
    if workspace is None:
        workspace = Workspace(slug=slug, name=name)
        db.add(workspace)
        db.flush()
    return workspace


def add_user(
    db: Session,
    *,
    actor: ActorLike | None,
    workspace: Workspace,
    name: str,
    email: str,
    role: str = "agent",
    password: str | None = None,
) -> tuple[User, str]:
    """Create a team member and return them with their one-time password (shown once)."""
    require_role(actor, ("owner",), "add team members")
    name, email = name.strip(), email.strip().lower()
    if not name or len(name) > 200:
        raise Invalid("A user needs a name of 1 to 200 characters.")
    if not EMAIL_PATTERN.match(email) or len(email) > 320:
        raise Invalid(f"'{email}' is not a valid email address.")
    if role not in ROLES:
        raise Invalid(f"Unknown role '{role}'. Roles: {', '.join(ROLES)}.")
    if repository.user_by_email(db, email) is not None:
        raise Conflict(f"A user with email {email} already exists.")
    password = password or secrets.token_urlsafe(12)
    user = User(
        workspace_id=workspace.id,
        name=name,
        email=email,
        role=role,
        password_hash=hash_password(password),
    )
    db.add(user)
    db.flush()
    return user, password


def list_users(db: Session, *, actor: ActorLike | None, workspace_id: int) -> list[User]:
    """Members of the actor's workspace."""
    return repository.users_in(db, workspace_id)


def get_user_by_email(db: Session, *, workspace_id: int, email: str) -> User:
    """A member of the workspace by email, or NotFound."""
    user = repository.user_by_email(db, email)
    if user is None or user.workspace_id != workspace_id:
        raise NotFound(f"No user with email {email}.")
    return user


def get_user(db: Session, *, workspace_id: int, user_id: int) -> User:
    """A member of the workspace by id, or NotFound."""
    user = repository.user_by_id(db, user_id)
    if user is None or user.workspace_id != workspace_id:
        raise NotFound(f"No user with id {user_id}.")
    return user


def default_actor(db: Session, *, workspace_id: int) -> User | None:
    """Who the local CLI acts as when no --as is given: the first owner."""
    return repository.first_owner(db, workspace_id)


def find_workspace(db: Session, *, slug: str) -> Workspace | None:
    """The workspace with this slug, or None (the CLI and the demo look theirs up by settings)."""
    return repository.workspace_by_slug(db, slug)


def find_user(db: Session, *, user_id: int) -> User | None:
    """A user by id in any workspace, or None (a signed-in session names only the id)."""
    return repository.user_by_id(db, user_id)


def find_user_by_email(db: Session, *, email: str) -> User | None:
    """A user by email in any workspace, or None."""
    return repository.user_by_email(db, email)


def first_owner(db: Session, *, workspace_id: int) -> User | None:
    """The workspace's first owner, or None before one exists."""
    return repository.first_owner(db, workspace_id)


def set_password(db: Session, *, user: User, password: str) -> None:
    """A new password ends every session signed in with the old one."""
    user.password_hash = hash_password(password)
    db.flush()
    repository.bump_session_generation(db, user.id)
    db.refresh(user)
