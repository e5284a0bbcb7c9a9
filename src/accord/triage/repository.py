"""Queries for stored triage results."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from accord.cases.models import Case, CaseEvent
from accord.cases.transitions import OPEN_STATUSES
from accord.intake.models import Message
from accord.triage.models import TriageResult


def by_message(db: Session, message_id: int) -> TriageResult | None:
    return db.scalar(select(TriageResult).where(TriageResult.message_id == message_id))


def untriaged_inbound(db: Session, limit: int) -> list[int]:
    """Ids of inbound messages without a result, oldest first; machine mail is never triaged (P3)."""
    done = select(TriageResult.message_id)
    query = (
        select(Message.id)
        .where(
            Message.direction == "inbound", Message.kind.in_(("message", "thanks")), Message.id.not_in(done)
        )
        .order_by(Message.id)
        .limit(limit)
    )
    return list(db.scalars(query))


def untriaged_of_case(db: Session, case_id: int) -> list[int]:
    """Ids of a case's inbound messages still waiting for triage (machine mail excluded)."""
    done = select(TriageResult.message_id)
    query = select(Message.id).where(
        Message.case_id == case_id,
        Message.direction == "inbound",
        Message.kind.in_(("message", "thanks")),
        Message.id.not_in(done),
    )
    return list(db.scalars(query))


def first_inbound_id(db: Session, case_id: int) -> int | None:
    query = select(func.min(Message.id)).where(Message.case_id == case_id, Message.direction == "inbound")
    return db.scalar(query)


def client_case_counts(db: Session, client_id: int, exclude_case_id: int) -> tuple[int, int]:
    """(open cases, earlier conflicts in total) of a client, not counting one case."""
    base = select(func.count(Case.id)).where(Case.client_id == client_id, Case.id != exclude_case_id)
    open_count = db.scalar(base.where(Case.status.in_(OPEN_STATUSES))) or 0
    return int(open_count), int(db.scalar(base) or 0)


def changed_by_person(db: Session, case_id: int, kinds: tuple[str, ...]) -> set[str]:
    """Which of these event kinds a person (not the system) has recorded on the case."""
    query = select(CaseEvent.kind).where(
        CaseEvent.case_id == case_id, CaseEvent.kind.in_(kinds), CaseEvent.actor_id.is_not(None)
    )
    return set(db.scalars(query))


def chosen_at_opening(db: Session, case_id: int) -> set[str]:
    """The facts (severity, category) a person chose when opening the case (its `case_opened` event)."""
    query = select(CaseEvent.data).where(
        CaseEvent.case_id == case_id, CaseEvent.kind == "case_opened", CaseEvent.actor_id.is_not(None)
    )
    return {name for data in db.scalars(query) for name in (data or {}).get("chosen", [])}


def triaged_severities(db: Session, case_id: int) -> list[int]:
    """The severity triage gave each message of the case, auto-replies left out (at least [1])."""
    query = select(TriageResult.result).where(TriageResult.case_id == case_id)
    found = [int(r.get("severity", 1)) for r in db.scalars(query) if not r.get("automatic")]
    return found or [1]


def latest_event(db: Session, case_id: int, kind: str) -> CaseEvent | None:
    """The newest timeline event of one kind on a case (the latest triage proposal, the latest acceptance)."""
    query = (
        select(CaseEvent)
        .where(CaseEvent.case_id == case_id, CaseEvent.kind == kind)
        .order_by(CaseEvent.id.desc())
        .limit(1)
    )
    return db.scalar(query)
