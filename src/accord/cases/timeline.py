"""Appending to the timeline: the one way any change to a case is recorded (rule 2)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from accord.cases.models import Case, CaseEvent
from accord.clock import now
from accord.users.access import ActorLike, actor_label


def record_event(
    db: Session,
    *,
    case: Case,
    kind: str,
    actor: ActorLike | None,
    data: dict[str, Any] | None = None,
    affects_clock: bool = True,
) -> CaseEvent:
    """Append one event in the caller's transaction, touch the case's updated_at and mark its clock stale.

    The stale mark is the cadence sweep's work list (issue 23): only changed cases are recomputed.
    Cadence's own notes (a reminder went out) pass `affects_clock=False`: they move no deadline.
    """
    at = now()
    event = CaseEvent(
        case_id=case.id,
        kind=kind,
        actor_id=None if actor is None else actor.id,
        actor_label=actor_label(actor),
        at=at,
        data=data or {},
    )
    db.add(event)
    case.updated_at = at
    case.clock_stale = case.clock_stale or affects_clock
    db.flush()
    return event
