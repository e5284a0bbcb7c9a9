"""Read-only queries over cases for reports (P24); never writes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.cases.models import Case, CaseEvent
from accord.clients.models import Client


def cases_since(db: Session, workspace_id: int, since: datetime) -> list[Case]:
    """Cases opened since `since`."""
    stmt = select(Case).where(Case.workspace_id == workspace_id, Case.created_at >= since)
    return list(db.scalars(stmt.order_by(Case.created_at)))


def reopen_counts(db: Session, case_ids: list[int]) -> dict[int, int]:
    """How often each case was reopened."""
    if not case_ids:
        return {}
    stmt = select(CaseEvent.case_id, CaseEvent.data).where(
        CaseEvent.case_id.in_(case_ids), CaseEvent.kind == "status_changed"
    )
    counts: dict[int, int] = {}
    for case_id, data in db.execute(stmt):
        if (data or {}).get("to") == "reopened":
            counts[case_id] = counts.get(case_id, 0) + 1
    return counts


def clients_by_id(db: Session, workspace_id: int) -> dict[int, Client]:
    """All clients of a workspace keyed by id."""
    return {c.id: c for c in db.scalars(select(Client).where(Client.workspace_id == workspace_id))}
