"""GET /search?q=: the full-text search page (issue 23 item 3)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from accord.errors import Invalid
from accord.http.deps import Caller
from accord.search import service as search
from accord.web.deps import web_caller, web_db
from accord.web.render import page

router = APIRouter(include_in_schema=False)


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request, q: str = "", db: Session = web_db, caller: Caller = Depends(web_caller)
) -> HTMLResponse:
    """Cases whose title or messages hold every word; an empty box shows just the box."""
    context: dict[str, object] = {"caller": caller, "active": "search", "q": q, "hits": [], "problem": ""}
    if q.strip():
        try:
            context["hits"] = search.search_cases(
                db, actor=caller.actor, workspace_id=caller.workspace.id, query=q
            )
        except Invalid as exc:  # a query with no words: say so on the page, keep what was typed
            context["problem"] = exc.message
            return page(request, "search.html", context, status_code=400)
    return page(request, "search.html", context)
