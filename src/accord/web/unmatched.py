"""The Unmatched queue in the browser: mail from unknown senders, moved to its client (P3, issue 20).

Moving uses intake's `move_to_client` (the senders become the client's contacts, the move is on the
case's timeline); the picker searches clients as you type and never loads them all.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from accord.http.deps import Caller
from accord.intake import service as intake
from accord.web.deps import web_caller, web_db
from accord.web.forms import attempt
from accord.web.render import page

router = APIRouter(include_in_schema=False)

LABELS = {"Client": "client"}
DONE = ("resolved", "closed")


def _queue_page(
    request: Request, db: Session, caller: Caller, extra: dict[str, Any], status_code: int = 200
) -> HTMLResponse:
    queue = intake.unmatched_queue(db, actor=caller.actor, workspace_id=caller.workspace.id)
    waiting = [c for c in queue["cases"] if c["status"] not in DONE]
    context = {
        "caller": caller,
        "active": "unmatched",
        "waiting": waiting,
        "finished": len(queue["cases"]) - len(waiting),
        "loose": queue["messages"],
        "errors": {},
        "failed_ref": "",
        "typed": "",
        **extra,
    }
    return page(request, "unmatched.html", context, status_code=status_code)


@router.get("/unmatched", response_class=HTMLResponse)
def unmatched_page(
    request: Request, moved: str = "", db: Session = web_db, caller: Caller = Depends(web_caller)
) -> HTMLResponse:
    """Cases from senders we do not know yet, and machine mail that answers nothing."""
    return _queue_page(request, db, caller, {"moved": moved[:40]})


@router.post("/unmatched/{reference}/move", response_model=None)
def move_case(
    request: Request,
    reference: str,
    client: str = Form(""),
    new_client: str = Form(""),
    db: Session = web_db,
    caller: Caller = Depends(web_caller),
) -> Response:
    """Move one case to the client picked (or created); back to the queue with a note of what moved."""
    case = caller.case(db, reference)
    outcome = attempt(
        db,
        lambda: intake.move_to_named_client(
            db, actor=caller.actor, case=case, name=client, create=bool(new_client)
        ),
        LABELS,
    )
    if not outcome:
        extra = {"errors": outcome.errors, "failed_ref": case.reference, "typed": client, "moved": ""}
        return _queue_page(request, db, caller, extra, outcome.status)
    return Response(status_code=303, headers={"Location": f"/unmatched?moved={case.reference}"})
