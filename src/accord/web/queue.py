"""The queue: open cases, what is due first, with filters and next/previous pages (no counts)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from accord.cadence import queue as due_queue
from accord.cases.models import DEFAULT_CATEGORIES
from accord.cases.schemas import CaseFilter
from accord.cases.transitions import OPEN_STATUSES, STATUSES
from accord.clients import service as clients
from accord.http.deps import Caller
from accord.users import service as users
from accord.web.deps import web_caller, web_db
from accord.web.render import page

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 25


@dataclass(frozen=True)
class QueueQuery:
    """The queue's filters as the URL carries them."""

    q: str = ""
    status: str = "open"
    severity: int | None = None
    category: str = ""
    owner: int | None = None
    client: int | None = None
    overdue: bool = False
    page: int = 1

    def to_filter(self) -> CaseFilter:
        """The repository filter; 'open' means every status before resolved."""
        return CaseFilter(
            status=self.status if self.status in STATUSES else None,
            statuses=OPEN_STATUSES if self.status == "open" else None,
            severity=self.severity,
            category=self.category or None,
            owner_id=self.owner,
            client_id=self.client,
            search=self.q.strip()[:100] or None,
        )

    def link(self, **change: Any) -> str:
        """This query with some values changed, as a URL."""
        values = {**self.__dict__, **change}
        kept = {k: v for k, v in values.items() if v not in (None, "", False) and k != "page"}
        if values["page"] > 1:
            kept["page"] = values["page"]
        return "/?" + urlencode(kept) if kept else "/"


def _query(
    q: str = "",
    status: str = "open",
    severity: str = "",
    category: str = "",
    owner: str = "",
    client: str = "",
    overdue: bool = False,
    page: int = Query(1, ge=1, le=10_000),
) -> QueueQuery:
    def number(value: str) -> int | None:
        return int(value) if value.strip().isdigit() else None

    return QueueQuery(q, status, number(severity), category, number(owner), number(client), overdue, page)


@router.get("/", response_class=HTMLResponse)
def queue(
    request: Request,
    query: QueueQuery = Depends(_query),
    db: Session = web_db,
    caller: Caller = Depends(web_caller),
) -> HTMLResponse:
    """The queue of open cases, the one whose clock runs out first on top (P6, P22)."""
    wid = caller.workspace.id
    rows, has_next = due_queue.queue_rows(
        db,
        actor=caller.actor,
        workspace_id=wid,
        flt=query.to_filter(),
        overdue=query.overdue,
        limit=PAGE_SIZE,
        offset=(query.page - 1) * PAGE_SIZE,
    )
    context = {
        "caller": caller,
        "active": "queue",
        "query": query,
        "rows": rows,
        "has_next": has_next,
        "clients": {c.id: c for c in clients.list_clients(db, actor=caller.actor, workspace_id=wid)},
        "users": {u.id: u for u in users.list_users(db, actor=caller.actor, workspace_id=wid)},
        "statuses": STATUSES,
        "categories": DEFAULT_CATEGORIES,
    }
    template = "_queue_rows.html" if request.headers.get("HX-Request") else "queue.html"
    return page(request, template, context)
