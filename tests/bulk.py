"""Many cases at once, for tests that compare a page or a sweep at two data sizes (issue 23).

Rows go in with bulk INSERTs, not through the services: the point is size, not history. Each case
is open with a deadline that passed long ago and was already handled (escalated), the state that
made the old sweep re-read every clock every minute.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from accord.cadence.models import CaseClock
from accord.cases.models import Case
from accord.users.models import Workspace

STATUSES = ("new", "acknowledged", "preparing", "in_conversation", "escalated")


def add_handled_cases(
    db: Session, *, workspace_id: int, client_ids: list[int], owner_id: int | None, count: int, at: datetime
) -> None:
    """`count` open cases whose deadlines passed a day ago and were handled: nothing is due now."""
    workspace = db.get(Workspace, workspace_id)
    assert workspace is not None
    first = workspace.next_case_number
    past = at - timedelta(days=1)
    rows = [
        {
            "workspace_id": workspace_id,
            "number": first + i,
            "client_id": client_ids[i % len(client_ids)],
            "title": f"Bulk case {first + i}",
            "status": STATUSES[i % len(STATUSES)],
            "severity": 1 + i % 4,
            "category": "billing",
            "owner_id": owner_id if i % 3 else None,
            "created_at": past - timedelta(minutes=i),
            "updated_at": past,
            "next_due_at": past - timedelta(seconds=i),
            "next_due": "update",
            "clock_stale": False,
        }
        for i in range(count)
    ]
    db.execute(insert(Case), rows)
    db.execute(update(Workspace).where(Workspace.id == workspace_id).values(next_case_number=first + count))
    ids = db.scalars(select(Case.id).where(Case.workspace_id == workspace_id, Case.number >= first)).all()
    clocks = [
        {
            "case_id": case_id,
            "workspace_id": workspace_id,
            "update_due_at": past,
            "resolve_due_at": past,
            "refreshed_at": past,
            "next_check_at": None,
        }
        for case_id in ids
    ]
    db.execute(insert(CaseClock), clocks)
    db.expire_all()
