"""Cadence queries: clocks that need refreshing, due clocks, the queue's due order, reminders, follow-ups."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

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


def clocks_to_check(db: Session, at: datetime, limit: int) -> list[CaseClock]:
    """Clocks whose next check has come (the `ix_case_clocks_next_check` partial index), oldest first."""
    stmt = select(CaseClock).where(CaseClock.next_check_at.is_not(None), CaseClock.next_check_at <= at)
    return list(db.scalars(stmt.order_by(CaseClock.next_check_at).limit(limit)))


def claim_check(db: Session, clock: CaseClock, following: datetime | None) -> bool:
    """Move a clock's next check on if nobody did since we read it: one conditional UPDATE, one winner."""
    stmt = (
        update(CaseClock)
        .where(CaseClock.id == clock.id, CaseClock.next_check_at == clock.next_check_at)
        .values(next_check_at=following)
        .execution_options(synchronize_session=False)
    )
    won = db.execute(stmt).rowcount == 1  # type: ignore[attr-defined]
    if won:
        set_committed_value(clock, "next_check_at", following)
    return won


def reminder_exists(db: Session, key: str) -> bool:
    """Whether the reminder with this key was sent already (its unique index answers)."""
    return db.scalar(select(Reminder.id).where(Reminder.key == key)) is not None


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


def follow_ups_due(db: Session, at: datetime, limit: int = 200) -> list[FollowUp]:
    """Follow-ups whose time has come and that were not sent yet (`ix_follow_ups_pending`, partial)."""
    stmt = select(FollowUp).where(FollowUp.sent_at.is_(None), FollowUp.scheduled_at <= at)
    return list(db.scalars(stmt.order_by(FollowUp.scheduled_at).limit(limit)).all())


def pending_follow_up(db: Session, case_id: int) -> FollowUp | None:
    """The unanswered follow-up of a case."""
    stmt = select(FollowUp).where(FollowUp.case_id == case_id, FollowUp.answered_at.is_(None))
    return db.scalar(stmt.order_by(FollowUp.id.desc()).limit(1))
