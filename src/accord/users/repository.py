"""All queries for workspaces and users."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, or_, select, update
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


def claim_login_attempt(db: Session, user_id: int, moment: datetime) -> int | None:
    """Count a sign-in attempt as failed up front, in one UPDATE, unless the account is locked.

    Returns the new failure count, or None while locked. The UPDATE holds the row (PostgreSQL) or the
    write lock (SQLite) until commit, so parallel attempts queue instead of overwriting each other.
    """
    stmt = (
        update(User)
        .where(User.id == user_id, or_(User.locked_until.is_(None), User.locked_until <= moment))
        .values(failed_logins=User.failed_logins + 1)
        .returning(User.failed_logins)
        .execution_options(synchronize_session=False)
    )
    count = db.execute(stmt).scalar()
    return None if count is None else int(count)


def set_login_state(
    db: Session, user_id: int, *, failed_logins: int | None, locked_until: datetime | None
) -> None:
    """Write the lock (and, on success, the reset failure count) of a user whose attempt was claimed."""
    values: dict[str, object] = {"locked_until": locked_until}
    if failed_logins is not None:
        values["failed_logins"] = failed_logins
    db.execute(
        update(User).where(User.id == user_id).values(**values).execution_options(synchronize_session=False)
    )


def bump_session_generation(db: Session, user_id: int) -> None:
    """End every signed session of a user (atomic: two sign-outs never undo each other)."""
    stmt = (
        update(User)
        .where(User.id == user_id)
        .values(session_generation=User.session_generation + 1)
        .execution_options(synchronize_session=False)
    )
    db.execute(stmt)
