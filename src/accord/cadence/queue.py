"""The queue in due order: each open case with its next stored deadline (P6, P22).

Why in cadence: the order comes from cadence's indexed `*_due_at` clock columns; cases (below) pages
the queue with the SQL expression handed in here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from accord.cadence import repository
from accord.cases import service as cases
from accord.cases.models import Case
from accord.cases.schemas import CaseFilter
from accord.clock import now
from accord.users.access import ActorLike


@dataclass
class QueueRow:
    """One queue line: the case and its next clock, when it has one."""

    case: Case
    due_at: datetime | None = None
    overdue: bool = False


def queue_rows(
    db: Session,
    *,
    actor: ActorLike | None,
    workspace_id: int,
    flt: CaseFilter,
    overdue: bool,
    limit: int,
    offset: int,
) -> tuple[list[QueueRow], bool]:
    """One queue page, what is due first; falls back to longest-waiting first."""
    due = repository.next_due_expression()
    at = now()
    rows, has_next = cases.queue_page(
        db,
        actor=actor,
        workspace_id=workspace_id,
        flt=flt,
        due=due,
        due_before=at if overdue and due is not None else None,
        limit=limit,
        offset=offset,
    )
    return [QueueRow(c, due_at, due_at is not None and due_at <= at) for c, due_at in rows], has_next
