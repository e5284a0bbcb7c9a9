"""The queue for a day's work: open cases in due order, with views and bounded counts (P6, P7, P22).

Why in cadence: the order is the next deadline cadence stores on each case (`next_due_at`, with
what is due in `next_due`); an index serves it, so a page costs the same at 1,000 or 1,000,000
cases (issue 23). Cases (below) runs the queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy.orm import Session

from accord.cases import service as cases
from accord.cases.models import NO_DEADLINE, Case
from accord.cases.schemas import CaseFilter
from accord.clock import now
from accord.users.access import ActorLike

VIEWS = {
    "mine": "My cases",
    "unassigned": "Unassigned",
    "overdue": "Overdue",
    "waiting": "Waiting on client",
}
DUE_WORDS = {"acknowledge": "Acknowledge", "update": "Update", "resolve": "Resolve", "waiting": "Waiting"}
NEWEST_FIRST = ("all", "resolved", "closed")
"""Status choices that reach beyond the open queue: listed newest first instead of by deadline."""


@dataclass
class QueueRow:
    """One queue line: the case, its next deadline and what is due then, and the names to show."""

    case: Case
    client: str
    owner: str | None
    due_at: datetime | None = None
    due: str = ""
    overdue: bool = False

    @property
    def due_word(self) -> str:
        """What is due, in a word: Acknowledge, Update, Resolve, or Waiting (on the client)."""
        return DUE_WORDS.get(self.due, "")


@dataclass
class QueuePage:
    """One page of the queue, the cursor of the next page, and each view's bounded count."""

    rows: list[QueueRow]
    next_cursor: str | None
    counts: dict[str, int] = field(default_factory=dict)
    count_cap: int = cases.COUNT_CAP


def view_filter(flt: CaseFilter, view: str, *, actor: ActorLike | None, at: datetime) -> CaseFilter:
    """The filter of a view: my cases, unassigned (P7), overdue, waiting on the client (P22)."""
    if view == "mine":
        return replace(flt, owner_id=actor.id if actor is not None else -1)
    if view == "unassigned":
        return replace(flt, unassigned=True)
    if view == "overdue":
        return replace(flt, due_before=at)
    if view == "waiting":
        return replace(flt, due="waiting")
    return flt


def view_counts(db: Session, *, actor: ActorLike | None, workspace_id: int, at: datetime) -> dict[str, int]:
    """Open cases in each view, counted only up to the cap: each is one index range, never COUNT(*)."""
    return {
        view: cases.count_open(
            db,
            actor=actor,
            workspace_id=workspace_id,
            flt=view_filter(CaseFilter(), view, actor=actor, at=at),
        )
        for view in VIEWS
    }


def _rows(db: Session, page: list[Case], at: datetime) -> list[QueueRow]:
    clients, owners = cases.names_of(db, page)
    out = []
    for case in page:
        due_at = case.next_due_at if case.next_due_at not in (None, NO_DEADLINE) else None
        out.append(
            QueueRow(
                case=case,
                client=clients.get(case.client_id, "?"),
                owner=owners.get(case.owner_id) if case.owner_id else None,
                due_at=due_at,
                due=case.next_due if due_at is not None or case.next_due == "waiting" else "",
                overdue=due_at is not None and due_at <= at,
            )
        )
    return out


def queue_page(
    db: Session,
    *,
    actor: ActorLike | None,
    workspace_id: int,
    flt: CaseFilter,
    view: str = "",
    status: str = "open",
    after: str | None = None,
    limit: int = 25,
) -> QueuePage:
    """One page of the queue: open cases by deadline, or (any/resolved/closed) newest first."""
    at = now()
    flt = view_filter(flt, view, actor=actor, at=at)
    if status in NEWEST_FIRST:
        listed = cases.list_cases(
            db, actor=actor, workspace_id=workspace_id, flt=flt, limit=limit + 1, after=after
        )
        page = listed[:limit]
        more = len(listed) > limit
        cursor = cases.encode_cursor(page[-1].created_at, page[-1].id) if more else None
    else:
        page, cursor = cases.queue_page(
            db, actor=actor, workspace_id=workspace_id, flt=flt, after=after, limit=limit
        )
    counts = view_counts(db, actor=actor, workspace_id=workspace_id, at=at)
    return QueuePage(_rows(db, page, at), cursor, counts)
