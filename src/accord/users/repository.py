"""All queries for workspaces and users."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from accord.users.models import User, Workspace


def workspace_by_slug(db: Session, slug: str) -> Workspace | None:
    """Find a workspace by slug."""
    return db.scalar(select(Workspace).where(Workspace.slug == slug))


def user_by_email(db: Session, email: str) -> User | None:
    """Find a user by email, case-insensitively."""
    return db.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def user_by_id(db: Session, user_id: int) -> User | None:
    """Find a user by id."""
    return db.get(User, user_id)


def users_in(db: Session, workspace_id: int) -> list[User]:
    """All users of a workspace, by name."""
    return list(db.scalars(select(User).where(User.workspace_id == workspace_id).order_by(User.name)))


def first_owner(db: Session, workspace_id: int) -> User | None:
    """The earliest owner of a workspace (the CLI acts as them by default)."""
    stmt = (
        select(User)
        .where(User.workspace_id == workspace_id, User.role == "owner", User.active.is_(True))
        .order_by(User.id)
        .limit(1)
    )
    return db.scalar(stmt)
