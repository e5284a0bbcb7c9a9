"""All queries for cases, events, notes and step runs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select, update
from sqlalchemy import case as case_when
from sqlalchemy.orm import Session

from accord.cases.models import Case, CaseEvent, Note, StepRun
from accord.cases.schemas import CaseFilter
from accord.clients.models import Client
from accord.users.models import User, Workspace

Cursor = tuple[datetime, int]
"""Where a keyset page starts: the sort value and id of the last row of the page before."""


def allocate_case_number(db: Session, workspace_id: int) -> int:
    """The next case number, race-free on SQLite and PostgreSQL: one UPDATE ... RETURNING.

    The row lock it takes on PostgreSQL queues a second creator until the first commits, so two
    people opening cases at once get different numbers instead of a duplicate-key error (issue 23).
    """
    stmt = (
        update(Workspace)
        .where(Workspace.id == workspace_id)
        .values(next_case_number=Workspace.next_case_number + 1)
        .returning(Workspace.next_case_number)
        .execution_options(synchronize_session=False)
    )
    bumped = db.execute(stmt).scalar_one()
    workspace = db.identity_map.get(db.identity_key(Workspace, workspace_id))
    if workspace is not None:
        db.expire(workspace, ["next_case_number"])
    return int(bumped) - 1


def case_by_number(db: Session, workspace_id: int, number: int) -> Case | None:
    """Find a case by its number within a workspace."""
    return db.scalar(select(Case).where(Case.workspace_id == workspace_id, Case.number == number))


def case_by_id(db: Session, case_id: int) -> Case | None:
    """Find a case by primary key."""
    return db.get(Case, case_id)


def _due_filtered(stmt: Select[Any], flt: CaseFilter) -> Select[Any]:
    """The queue's views: unassigned (P7), overdue, and what is due next (waiting on the client)."""
    if flt.unassigned:
        stmt = stmt.where(Case.owner_id.is_(None))
    if flt.due_before is not None:
        stmt = stmt.where(Case.next_due_at <= flt.due_before)
    if flt.due:
        stmt = stmt.where(Case.next_due == flt.due)
    return stmt


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
    stmt = _due_filtered(stmt, flt)
    if flt.search:
        like = f"%{flt.search.strip()}%"
        stmt = stmt.join(Client, Client.id == Case.client_id).where(
            or_(Case.title.ilike(like), Client.name.ilike(like))
        )
    return stmt


def _after(column: Any, cursor: Cursor | None, *, descending: bool = False) -> ColumnElement[bool] | None:
    """Keyset condition: rows after `cursor` in (column, id) order; the first term is an index range."""
    if cursor is None:
        return None
    value, last_id = cursor
    if descending:
        return and_(column <= value, or_(column < value, Case.id < last_id))
    return and_(column >= value, or_(column > value, Case.id > last_id))


def cases_in(
    db: Session,
    workspace_id: int,
    flt: CaseFilter,
    *,
    limit: int = 50,
    offset: int = 0,
    after: Cursor | None = None,
) -> list[Case]:
    """One page of cases, newest first (the `ix_cases_listing` index serves the order)."""
    stmt = _filtered(select(Case).where(Case.workspace_id == workspace_id), flt)
    keyset = _after(Case.created_at, after, descending=True)
    if keyset is not None:
        stmt = stmt.where(keyset)
    stmt = stmt.order_by(Case.created_at.desc(), Case.id.desc()).limit(limit).offset(offset)
    return list(db.scalars(stmt))


def queue_cases(
    db: Session, workspace_id: int, flt: CaseFilter, *, after: Cursor | None, limit: int
) -> list[Case]:
    """One page of open cases in due order (P6, P22): `ix_cases_queue` (or the owner/kind variant) serves it.

    Resolved and closed cases have no `next_due_at`, so the index range skips them.
    """
    stmt = _filtered(
        select(Case).where(Case.workspace_id == workspace_id, Case.next_due_at.is_not(None)), flt
    )
    keyset = _after(Case.next_due_at, after)
    if keyset is not None:
        stmt = stmt.where(keyset)
    return list(db.scalars(stmt.order_by(Case.next_due_at, Case.id).limit(limit)))


def bounded_count(db: Session, workspace_id: int, flt: CaseFilter, *, cap: int) -> int:
    """How many open cases match, counting no further than `cap` (an index range of at most cap rows)."""
    inner = _filtered(
        select(Case.id).where(Case.workspace_id == workspace_id, Case.next_due_at.is_not(None)), flt
    ).limit(cap)
    return int(db.scalar(select(func.count()).select_from(inner.subquery())) or 0)


def names_for(db: Session, client_ids: set[int], user_ids: set[int]) -> tuple[dict[int, str], dict[int, str]]:
    """Client and user names for one page of cases: two queries, however long the page."""
    clients = dict(db.execute(select(Client.id, Client.name).where(Client.id.in_(client_ids))).tuples().all())
    users = dict(db.execute(select(User.id, User.name).where(User.id.in_(user_ids))).tuples().all())
    return clients, users


def events_of(db: Session, case_id: int) -> list[CaseEvent]:
    """A case's timeline, oldest first."""
    stmt = select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.id)
    return list(db.scalars(stmt))


def notes_of(db: Session, case_id: int) -> list[Note]:
    """A case's internal notes, oldest first."""
    return list(db.scalars(select(Note).where(Note.case_id == case_id).order_by(Note.id)))


def cases_of_client(
    db: Session, client_id: int, *, limit: int | None = None, exclude_id: int | None = None
) -> list[Case]:
    """A client's cases, newest first (earlier conflicts, P5/P9); `limit` for pages that show a few."""
    stmt = select(Case).where(Case.client_id == client_id)
    if exclude_id is not None:
        stmt = stmt.where(Case.id != exclude_id)
    stmt = stmt.order_by(Case.created_at.desc(), Case.id.desc())
    return list(db.scalars(stmt if limit is None else stmt.limit(limit)))


def client_history_counts(db: Session, client_id: int, exclude_id: int) -> tuple[int, int]:
    """How many other cases the client has had, and in how many the fault was theirs (one aggregate)."""
    theirs = func.sum(case_when((Case.fault == "client", 1), else_=0))
    stmt = select(func.count(Case.id), theirs).where(Case.client_id == client_id, Case.id != exclude_id)
    count, client_fault = db.execute(stmt).one()
    return int(count or 0), int(client_fault or 0)


def step_runs_of(db: Session, case_id: int) -> list[StepRun]:
    """A case's step runs in playbook order."""
    stmt = select(StepRun).where(StepRun.case_id == case_id).order_by(StepRun.position, StepRun.id)
    return list(db.scalars(stmt))


def step_run(db: Session, case_id: int, step_id: str) -> StepRun | None:
    """One step run of a case by the step's id."""
    stmt = select(StepRun).where(StepRun.case_id == case_id, StepRun.step_id == step_id)
    return db.scalars(stmt).first()


def stale_case_ids(db: Session, limit: int) -> list[int]:
    """Cases changed since cadence last computed their clock (the `ix_cases_clock_stale` partial index)."""
    stmt = select(Case.id).where(Case.clock_stale).order_by(Case.id).limit(limit)
    return list(db.scalars(stmt))


def claim_stale(db: Session, case_id: int) -> bool:
    """Clear a case's stale mark if it is still set: exactly one sweep wins the row."""
    stmt = (
        update(Case)
        .where(Case.id == case_id, Case.clock_stale)
        .values(clock_stale=False)
        .execution_options(synchronize_session=False)
    )
    return db.execute(stmt).rowcount == 1  # type: ignore[attr-defined]
