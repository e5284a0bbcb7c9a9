"""The queue: a day's work in due order, with views, bounded counts and keyset pages (issue 20, 23)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from accord.cadence import queue as due_queue
from accord.cases.models import DEFAULT_CATEGORIES
from accord.cases.schemas import CaseFilter
from accord.cases.transitions import STATUSES
from accord.clients import service as clients
from accord.http.deps import Caller
from accord.users import service as users
from accord.web.deps import web_caller, web_db
from accord.web.render import is_htmx, page

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 25
CLIENT_CHOICES = 30  # the client picker lists a few names and searches for the rest


@dataclass(frozen=True)
class QueueQuery:
    """The queue's filters as the URL carries them (only the ones set, so URLs stay clean)."""

    q: str = ""
    status: str = "open"
    severity: int | None = None
    category: str = ""
    owner: int | None = None
    client: int | None = None
    view: str = ""
    after: str = ""

    def to_filter(self) -> CaseFilter:
        """The repository filter; 'open' (every open case) is the queue itself, so it adds nothing."""
        return CaseFilter(
            status=self.status if self.status in STATUSES else None,
            severity=self.severity,
            category=self.category or None,
            owner_id=self.owner,
            client_id=self.client,
            search=self.q.strip()[:100] or None,
        )

    def link(self, **change: Any) -> str:
        """This query with some values changed, as a clean URL (defaults and blanks left out)."""
        values = {**self.__dict__, "after": "", **change}
        kept = {
            k: v
            for k, v in values.items()
            if v not in (None, "", False) and not (k == "status" and v == "open")
        }
        return "/?" + urlencode(kept) if kept else "/"


def _query(
    q: str = Query("", max_length=200),
    status: str = Query("open", max_length=40),
    severity: str = Query("", max_length=4),
    category: str = Query("", max_length=40),
    owner: str = Query("", max_length=20),
    client: str = Query("", max_length=20),
    view: str = Query("", max_length=20),
    overdue: bool = False,
    after: str = Query("", max_length=60),
) -> QueueQuery:
    def number(value: str) -> int | None:
        return int(value) if value.strip().isdigit() and len(value.strip()) < 12 else None

    view = "overdue" if overdue and not view else view  # the old "Overdue only" box
    view = view if view in due_queue.VIEWS else ""
    return QueueQuery(q, status, number(severity), category, number(owner), number(client), view, after)


@router.get("/", response_class=HTMLResponse)
def queue(
    request: Request,
    query: QueueQuery = Depends(_query),
    db: Session = web_db,
    caller: Caller = Depends(web_caller),
) -> Response:
    """The queue of open cases, the one whose clock runs out first on top (P6, P22)."""
    if not is_htmx(request) and any(value == "" for value in request.query_params.values()):
        return RedirectResponse(query.link(after=query.after), status_code=303)  # a form's blanks: clean URL
    wid = caller.workspace.id
    result = due_queue.queue_page(
        db,
        actor=caller.actor,
        workspace_id=wid,
        flt=query.to_filter(),
        view=query.view,
        status=query.status,
        after=query.after or None,
        limit=PAGE_SIZE,
    )
    picked = (
        clients.get_client(db, actor=caller.actor, workspace_id=wid, key=query.client)
        if query.client
        else None
    )
    context = {
        "caller": caller,
        "active": "queue",
        "query": query,
        "result": result,
        "rows": result.rows,
        "views": due_queue.VIEWS,
        "picked_client": picked,
        "client_choices": clients.find_clients(
            db, actor=caller.actor, workspace_id=wid, text="", limit=CLIENT_CHOICES
        ),
        "users": users.list_users(db, actor=caller.actor, workspace_id=wid),
        "statuses": STATUSES,
        "categories": DEFAULT_CATEGORIES,
    }
    if not is_htmx(request):
        return page(request, "queue.html", context)
    rows = page(request, "_queue_rows.html", context)
    rows.headers["HX-Push-Url"] = query.link(after=query.after)  # the address bar shows only what is set
    return rows


@router.get("/queue/clients", response_class=HTMLResponse)
def client_options(
    request: Request,
    client_q: str = Query("", max_length=200),
    db: Session = web_db,
    caller: Caller = Depends(web_caller),
) -> HTMLResponse:
    """The client picker's options for what was typed: a few names, never every client (issue 23)."""
    found = clients.find_clients(
        db, actor=caller.actor, workspace_id=caller.workspace.id, text=client_q, limit=CLIENT_CHOICES
    )
    return page(
        request, "_queue_client_options.html", {"client_choices": found, "picked_client": None, "query": None}
    )
