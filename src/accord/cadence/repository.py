"""Cadence queries: clocks that need refreshing, due clocks, the queue's due order, reminders, follow-ups."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, func, literal, or_, select
from sqlalchemy import case as when
from sqlalchemy.orm import Session

from accord.cadence.models import CadenceSettings, CaseClock, Confirmation, FollowUp, Reminder
from accord.cases.models import Case, CaseEvent
from accord.db import AwareDateTime
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


def next_due_expression() -> Any:
    """SQL for a case's earliest stored deadline (the indexed `*_due_at` columns), or NULL.

    A correlated subquery over the case's clock; a case without a stored clock sorts after the rest.
    """
    far = literal(datetime(9999, 1, 1, tzinfo=UTC), AwareDateTime())
    a, b, c = (
        func.coalesce(col, far)
        for col in (CaseClock.acknowledge_due_at, CaseClock.update_due_at, CaseClock.resolve_due_at)
    )
    first = when((a <= b, a), else_=b)
    earliest = when((first <= c, first), else_=c)
    expr = when((earliest < far, earliest), else_=None)
    return select(expr).where(CaseClock.case_id == Case.id).correlate(Case).scalar_subquery()
