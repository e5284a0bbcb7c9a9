"""GET /api/v1/insights: the learning report (P24)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Depends, Query
from sqlalchemy.orm import Session

from accord.http.deps import Caller, db_session, get_caller
from accord.insights import service as insights

router = APIRouter(prefix="/api/v1", tags=["insights"])


@router.get("/insights")
def get_insights(
    days: int = Query(90, ge=1, le=3650), db: Session = db_session, caller: Caller = Depends(get_caller)
) -> dict[str, Any]:
    """Causes, fault, time to resolve, reopenings, clients lost, and lessons."""
    report = insights.conflict_report(db, actor=caller.actor, workspace_id=caller.workspace.id, days=days)
    return asdict(report)
