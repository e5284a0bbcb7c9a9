"""The reply box: live coach findings, composer drafts, and sending (P13, P16, P17, P20, P22)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from accord.cases.models import Case
from accord.coach import service as coach
from accord.http.deps import Caller
from accord.web.case_view import case_context
from accord.web.deps import web_caller, web_db
from accord.web.render import is_htmx, page, redirect

router = APIRouter(include_in_schema=False)


@router.post("/cases/{reference}/coach", response_class=HTMLResponse)
def coach_reply(
    request: Request,
    reference: str,
    body: str = Form(""),
    db: Session = web_db,
    caller: Caller = Depends(web_caller),
) -> HTMLResponse:
    """Check the reply being typed and show what to change (htmx, on keyup)."""
    case = caller.case(db, reference)
    review = coach.check_typed_reply(db, case=case, text=body)
    return page(request, "_coach.html", {"case": case, "review": review, "typed": bool(body.strip())})


@router.post("/cases/{reference}/draft", response_class=HTMLResponse)
def draft_reply(
    request: Request,
    reference: str,
    purpose: str = Form("update"),
    db: Session = web_db,
    caller: Caller = Depends(web_caller),
) -> HTMLResponse:
    """Fill the reply box with the composer's draft for this purpose."""
    case = caller.case(db, reference)
    draft = coach.draft_reply(db, case=case, purpose=purpose)
    return page(request, "_reply_box.html", {"case": case, "draft": draft})


@router.post("/cases/{reference}/reply")
def send_reply(
    request: Request,
    reference: str,
    body: str = Form(...),
    override_reason: str = Form(""),
    confirmed: str = Form(""),
    db: Session = web_db,
    caller: Caller = Depends(web_caller),
) -> Response:
    """Send the reply; a blocking finding needs a reason, warnings on a severity 3-4 case a second press."""
    case = caller.case(db, reference)
    try:
        coach.send_reply(
            db,
            actor=caller.actor,
            case=case,
            body=body,
            override_reason=override_reason or None,
            confirmed=confirmed == "yes",
        )
    except (coach.ReplyBlocked, coach.NeedsConfirmation) as refused:
        return _refused(request, db, caller, case, body=body, override=override_reason, refused=refused)
    return redirect(request, f"/cases/{case.reference}")  # no anchor: htmx must reload, not scroll


def _refused(
    request: Request,
    db: Session,
    caller: Caller,
    case: Case,
    *,
    body: str,
    override: str,
    refused: coach.ReplyBlocked | coach.NeedsConfirmation,
) -> HTMLResponse:
    """The reply box again with the text kept, the findings, and what it takes to send (issue 20)."""
    box = {
        "draft": body,
        "override": override,
        "review": coach.check_typed_reply(db, case=case, text=body),
        "refusal": refused.message,
        "ask_confirm": isinstance(refused, coach.NeedsConfirmation),
    }
    if is_htmx(request):
        return page(request, "_reply_box.html", {"case": case, **box})
    context = case_context(db, actor=caller.actor, workspace_id=caller.workspace.id, case=case)
    return page(request, "case.html", {"caller": caller, "active": "queue", **context, **box}, 409)
