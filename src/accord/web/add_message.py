"""Add what the client said to an existing case: a call note, a chat, a review, a pasted email (P3).

The form is a partial (`templates/_add_message.html`) the case page includes; /cases/{ref}/messages/new
shows it alone. htmx gets the form back with the error beside its field (the page stays as it is);
a plain post gets the whole form page again with 422. The message is triaged right after the reply.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, BackgroundTasks, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from accord.http.deps import Caller
from accord.intake import service as intake
from accord.jobs.triage_sweep import triage_messages
from accord.web.deps import web_caller, web_db
from accord.web.forms import attempt, stars
from accord.web.render import is_htmx, page, redirect

router = APIRouter(include_in_schema=False)

LABELS = {
    "Message": "body",
    "Channel": "channel",
    "Sender": "sender",
    "Platform": "platform",
    "Rating": "rating",
    "Link": "link",
}


@router.get("/cases/{reference}/messages/new", response_class=HTMLResponse)
def add_message_page(
    request: Request, reference: str, db: Session = web_db, caller: Caller = Depends(web_caller)
) -> HTMLResponse:
    """The Add a message form on its own page (bookmarkable, and where the form falls back to)."""
    case = caller.case(db, reference)
    return page(request, "add_message.html", {"caller": caller, "active": "queue", "case": case})


@router.post("/cases/{reference}/messages", response_model=None)
def add_message(
    request: Request,
    reference: str,
    background: BackgroundTasks,
    channel: str = Form("call"),
    sender: str = Form(""),
    body: str = Form(""),
    platform: str = Form(""),
    rating: str = Form(""),
    link: str = Form(""),
    db: Session = web_db,
    caller: Caller = Depends(web_caller),
) -> Response:
    """Record the message on the case's thread and timeline; then back to the case page."""
    case = caller.case(db, reference)
    review = intake.ReviewDetails(platform, stars(rating), link) if channel == "review" else None
    outcome = attempt(
        db,
        lambda: intake.record_client_message(
            db, actor=caller.actor, case=case, channel=channel, body=body, sender=sender, review=review
        ),
        LABELS,
    )
    if not outcome:
        values = {
            "channel": channel,
            "sender": sender,
            "body": body,
            "platform": platform,
            "rating": rating,
            "link": link,
        }
        context: dict[str, Any] = {
            "caller": caller,
            "case": case,
            "msg_values": values,
            "msg_errors": outcome.errors,
        }
        if is_htmx(request):  # htmx swaps 2xx answers only: the form comes back in place
            return page(request, "_add_message.html", context)
        return page(request, "add_message.html", {**context, "active": "queue"}, status_code=outcome.status)
    background.add_task(triage_messages, [outcome.result.id])
    return redirect(request, f"/cases/{case.reference}#messages")
