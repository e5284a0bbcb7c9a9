"""Call mode: one conversation step at a time, full screen, notes saved as you go (P12, P13)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from accord.cases import steps as case_steps
from accord.clock import now
from accord.http.deps import Caller
from accord.web.case_view import call_context, conversation_steps
from accord.web.deps import web_caller, web_db
from accord.web.render import is_htmx, page, redirect, when

router = APIRouter(include_in_schema=False)


@router.get("/cases/{reference}/call", response_class=HTMLResponse)
def call_mode(
    request: Request,
    reference: str,
    step: int = Query(1, ge=1, le=50),
    db: Session = web_db,
    caller: Caller = Depends(web_caller),
) -> HTMLResponse:
    """Show step `step` of the six; past the last one, a summary of the call."""
    case = caller.case(db, reference)
    steps = conversation_steps(db, actor=caller.actor, case=case)
    current = steps[step - 1] if step <= len(steps) else None
    around = call_context(db, actor=caller.actor, workspace_id=caller.workspace.id, case=case)
    context = {
        "caller": caller,
        "case": case,
        "steps": steps,
        "index": step,
        "current": current,
        "firm": around["o"]["firmness"],  # P20: on the call, with the termination terms
        **around,
    }
    return page(request, "call.html", context)


@router.post("/cases/{reference}/call/{step_id}/notes")
def save_call_notes(
    request: Request,
    reference: str,
    step_id: str,
    index: int = Form(1, ge=1, le=50),
    notes: str = Form(""),
    db: Session = web_db,
    caller: Caller = Depends(web_caller),
) -> Response:
    """Save what was said so far on this step, without finishing it (saved as you go)."""
    case = caller.case(db, reference)
    case_steps.save_step_notes(db, actor=caller.actor, case=case, step_id=step_id, notes=notes)
    if not (is_htmx(request) or request.headers.get("X-Autosave")):  # call.js saves as you type
        return redirect(request, f"/cases/{case.reference}/call?step={index}")
    return HTMLResponse(f"Notes saved at {when(now())} UTC; the step is still open.")


@router.post("/cases/{reference}/call/{step_id}")
def save_call_step(
    request: Request,
    reference: str,
    step_id: str,
    index: int = Form(..., ge=1, le=50),
    notes: str = Form(""),
    db: Session = web_db,
    caller: Caller = Depends(web_caller),
) -> Response:
    """Finish a conversation step with what was said, then go to the next one."""
    case = caller.case(db, reference)
    case_steps.complete_step(db, actor=caller.actor, case=case, step_id=step_id, notes=notes)
    return redirect(request, f"/cases/{case.reference}/call?step={index + 1}")
