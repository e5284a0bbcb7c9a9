"""All queries for cases, events, notes and step runs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, null, or_, select
from sqlalchemy.orm import Session

from accord.cases.models import Case, CaseEvent, Note, StepRun
from accord.cases.schemas import CaseFilter
from accord.clients.models import Client


def case_by_number(db: Session, workspace_id: int, number: int) -> Case | None:
    """Find a case by its number within a workspace."""
    return db.scalar(select(Case).where(Case.workspace_id == workspace_id, Case.number == number))


def case_by_id(db: Session, case_id: int) -> Case | None:
    """Find a case by primary key."""
    return db.get(Case, case_id)


def _filtered(stmt: Select[Any], flt: CaseFilter) -> Select[Any]:
    if flt.status:
        stmt = stmt.where(Case.status == flt.status)
    if flt.statuses:
        stmt = stmt.where(Case.status.in_(flt.statuses))
    if flt.severity:
        stmt = stmt.where(Case.severity == flt.severity)
    if flt.category:
        stmt = stmt.where(Case.category == flt.category)
    if flt.owner_id:
        stmt = stmt.where(Case.owner_id == flt.owner_id)
    if flt.client_id:
        stmt = stmt.where(Case.client_id == flt.client_id)
    if flt.search:
        like = f"%{flt.search.strip()}%"
        stmt = stmt.join(Client, Client.id == Case.client_id).where(
            or_(Case.title.ilike(like), Client.name.ilike(like))
        )
    return stmt


def cases_in(
    db: Session, workspace_id: int, flt: CaseFilter, *, limit: int = 50, offset: int = 0
) -> list[Case]:
    """One page of cases, newest first."""
    stmt = _filtered(select(Case).where(Case.workspace_id == workspace_id), flt)
    stmt = stmt.order_by(Case.created_at.desc(), Case.id.desc()).limit(limit).offset(offset)
    return list(db.scalars(stmt))


def queue_cases(
    db: Session,
    workspace_id: int,
    flt: CaseFilter,
    *,
    due: Any = None,
    due_before: datetime | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[tuple[Case, datetime | None]]:
    """One page of the queue with each case's next due time: due first, then longest-waiting.

    `due` is a correlated SQL expression giving a case's next deadline (the cadence domain's).
    """
    due = due if due is not None else null()
    stmt = _filtered(select(Case, due).where(Case.workspace_id == workspace_id), flt)
    if due_before is not None:
        stmt = stmt.where(due <= due_before)
    stmt = stmt.order_by(due.is_(None), due, Case.created_at, Case.id).limit(limit).offset(offset)
    return [(row[0], row[1]) for row in db.execute(stmt)]


def events_of(db: Session, case_id: int) -> list[CaseEvent]:
    """A case's timeline, oldest first."""
    stmt = select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.id)
    return list(db.scalars(stmt))


def notes_of(db: Session, case_id: int) -> list[Note]:
    """A case's internal notes, oldest first."""
    return list(db.scalars(select(Note).where(Note.case_id == case_id).order_by(Note.id)))


def cases_of_client(db: Session, client_id: int) -> list[Case]:
    """Every case of a client, newest first (earlier conflicts, P5/P9)."""
    stmt = select(Case).where(Case.client_id == client_id).order_by(Case.created_at.desc())
    return list(db.scalars(stmt))


def step_runs_of(db: Session, case_id: int) -> list[StepRun]:
    """A case's step runs in playbook order."""
    stmt = select(StepRun).where(StepRun.case_id == case_id).order_by(StepRun.position, StepRun.id)
    return list(db.scalars(stmt))


def step_run(db: Session, case_id: int, step_id: str) -> StepRun | None:
    """One step run of a case by the step's id."""
    stmt = select(StepRun).where(StepRun.case_id == case_id, StepRun.step_id == step_id)
    return db.scalars(stmt).first()
