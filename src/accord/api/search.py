"""GET /api/v1/search?q=: cases whose title or messages hold every word (issue 23 item 3)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Depends, Query
from sqlalchemy.orm import Session

from accord.http.deps import Caller, db_session, get_caller
from accord.search import service as search

router = APIRouter(prefix="/api/v1", tags=["search"])


@router.get("/search")
def search_cases(
    q: str = Query(..., max_length=200, description="Words to find; each matches as a prefix."),
    limit: int = Query(50, ge=1, le=100),
    db: Session = db_session,
    caller: Caller = Depends(get_caller),
) -> dict[str, Any]:
    """Newest first; `in_title` / `in_messages` say where it matched, `excerpt` shows the message text."""
    hits = search.search_cases(db, actor=caller.actor, workspace_id=caller.workspace.id, query=q, limit=limit)
    return {"query": q, "results": [asdict(h) for h in hits]}
