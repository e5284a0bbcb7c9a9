"""Cadence queries: clocks that need refreshing, due clocks, reminders, follow-ups."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from accord.cadence.models import CadenceSettings, CaseClock, Confirmation, FollowUp, Reminder
from accord.cases.models import Case, CaseEvent
from accord.intake.models import Message
from accord.users.models import User


def settings_of(db: Session, workspace_id: int) -> CadenceSettings | None:
    """The workspace's working hours row, if one was saved."""
    return db.scalar(select(CadenceSettings).where(CadenceSettings.workspace_id == workspace_id))


def clock_of(db: Session, case_id: int) -> CaseClock | None:
    """The stored clock of a case."""
    return db.scalar(select(CaseClock).where(CaseClock.case_id == case_id))


def stale_cases(db: Session, limit: int = 500) -> list[Case]:
    """Cases changed since their clock was computed (or never computed)."""
    stmt = (
        select(Case)
        .outerjoin(CaseClock, CaseClock.case_id == Case.id)
        .where(or_(CaseClock.id.is_(None), Case.updated_at > CaseClock.refreshed_at))
        .order_by(Case.id)
        .limit(limit)
    )
    return list(db.scalars(stmt).all())


def events_for_pauses(db: Session, case_id: int) -> list[tuple[str, datetime, dict]]:  # type: ignore[type-arg]
    """The timeline events that start or end a pause, oldest first."""
    kinds = ("status_changed", "waiting_on_client", "message_received")
    stmt = (
        select(CaseEvent.kind, CaseEvent.at, CaseEvent.data)
        .where(CaseEvent.case_id == case_id, CaseEvent.kind.in_(kinds))
        .order_by(CaseEvent.id)
    )
    return [(k, at, data or {}) for k, at, data in db.execute(stmt).all()]


def last_outbound_at(db: Session, case_id: int) -> datetime | None:
    """When we last wrote to the client on this case."""
    stmt = select(Message.created_at).where(Message.case_id == case_id, Message.direction == "outbound")
    return db.scalar(stmt.order_by(Message.created_at.desc()).limit(1))


def clocks_due(db: Session, column: ColumnElement[datetime | None], before: datetime) -> list[CaseClock]:
    """Clocks whose `column` falls before `before` (uses the column's index)."""
    return list(db.scalars(select(CaseClock).where(column.is_not(None), column <= before)).all())


def open_cases(db: Session, workspace_id: int) -> list[Case]:
    """A workspace's cases that are not resolved or closed, by number."""
    stmt = select(Case).where(Case.workspace_id == workspace_id, Case.status.not_in(("resolved", "closed")))
    return list(db.scalars(stmt.order_by(Case.number)).all())


def reminders_in(db: Session, workspace_id: int, limit: int = 200) -> list[Reminder]:
    """A workspace's reminders, newest first."""
    stmt = select(Reminder).where(Reminder.workspace_id == workspace_id)
    return list(db.scalars(stmt.order_by(Reminder.id.desc()).limit(limit)).all())


def owners_of(db: Session, workspace_id: int) -> list[User]:
    """Active users with the owner role: they hear about overdue cases (escalation)."""
    stmt = select(User).where(User.workspace_id == workspace_id, User.role == "owner", User.active.is_(True))
    return list(db.scalars(stmt.order_by(User.id)).all())


def confirmation_by_nonce(db: Session, nonce: str) -> Confirmation | None:
    """The confirmation request a link points at."""
    return db.scalar(select(Confirmation).where(Confirmation.nonce == nonce))


def follow_up_by_nonce(db: Session, nonce: str) -> FollowUp | None:
    """The follow-up a link points at."""
    return db.scalar(select(FollowUp).where(FollowUp.nonce == nonce))


def follow_ups_due(db: Session, at: datetime) -> list[FollowUp]:
    """Follow-ups whose time has come and that were not sent yet."""
    stmt = select(FollowUp).where(FollowUp.sent_at.is_(None), FollowUp.scheduled_at <= at)
    return list(db.scalars(stmt.order_by(FollowUp.id)).all())


def pending_follow_up(db: Session, case_id: int) -> FollowUp | None:
    """The unanswered follow-up of a case."""
    stmt = select(FollowUp).where(FollowUp.case_id == case_id, FollowUp.answered_at.is_(None))
    return db.scalar(stmt.order_by(FollowUp.id.desc()).limit(1))


def insert_once(db: Session, model: Any, values: dict[str, Any], unique: str) -> Any | None:
    """INSERT ... ON CONFLICT DO NOTHING: the new row, or None when `unique` already exists.

    No savepoint: on SQLite a savepoint opened before the first write commits on release, which
    would split the sweep's transaction; a guarded insert keeps it whole on both databases.
    """
    if db.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        stmt: Any = pg_insert(model)
    else:
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        stmt = sqlite_insert(model)
    stmt = stmt.values(**values).on_conflict_do_nothing(index_elements=[unique]).returning(model.id)
    new_id = db.scalar(stmt)
    return None if new_id is None else db.get(model, new_id)
