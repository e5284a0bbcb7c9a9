"""The case page and its actions: steps, status moves, facts, notes (parse, access, one verb, render)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from accord.cases import facts
from accord.cases import service as cases
from accord.cases import steps as case_steps
from accord.cases.schemas import FactsIn
from accord.http.deps import Caller
from accord.triage import service as triage
from accord.web.case_view import case_context, steps_context
from accord.web.deps import web_caller, web_db
from accord.web.render import is_htmx, page, redirect

router = APIRouter(include_in_schema=False)


def _steps_partial(request: Request, db: Session, caller: Caller, reference: str) -> HTMLResponse:
    """The steps again, with the header band's next action swapped in beside them (htmx out of band)."""
    case = caller.case(db, reference)
    context = steps_context(db, actor=caller.actor, case=case)
    return page(request, "_steps.html", {**context, "oob": True})


@router.get("/cases/{reference}", response_class=HTMLResponse)
def case_page(
    request: Request, reference: str, db: Session = web_db, caller: Caller = Depends(web_caller)
) -> HTMLResponse:
    """Everything about one conflict on one page (P1, P5, P9, P13)."""
    case = caller.case(db, reference)
    context = case_context(db, actor=caller.actor, workspace_id=caller.workspace.id, case=case)
    return page(request, "case.html", {"caller": caller, "active": "queue", **context})


def _after_step(request: Request, db: Session, caller: Caller, reference: str, anchor: str) -> Response:
    """htmx gets the refreshed steps; a plain form goes back to the case page (at the step)."""
    if not is_htmx(request):
        return redirect(request, f"/cases/{reference}{anchor}")
    return _steps_partial(request, db, caller, reference)


@router.post("/cases/{reference}/steps/{step_id}/complete", response_class=HTMLResponse)
def complete_step(
    request: Request,
    reference: str,
    step_id: str,
    notes: str = Form(""),
    db: Session = web_db,
    caller: Caller = Depends(web_caller),
) -> Response:
    """Mark a playbook step done with what was found (htmx gets the steps, a plain form the page)."""
    case = caller.case(db, reference)
    case_steps.complete_step(db, actor=caller.actor, case=case, step_id=step_id, notes=notes)
    return _after_step(request, db, caller, case.reference, f"#step-{step_id}")


@router.post("/cases/{reference}/steps/{step_id}/notes", response_class=HTMLResponse)
def save_step_notes(
    request: Request,
    reference: str,
    step_id: str,
    notes: str = Form(""),
    db: Session = web_db,
    caller: Caller = Depends(web_caller),
) -> Response:
    """Save notes on a step and leave it open (P13: notes kept as you go)."""
    case = caller.case(db, reference)
    case_steps.save_step_notes(db, actor=caller.actor, case=case, step_id=step_id, notes=notes)
    return _after_step(request, db, caller, case.reference, f"#step-{step_id}")


@router.post("/cases/{reference}/steps/{step_id}/skip", response_class=HTMLResponse)
def skip_step(
    request: Request,
    reference: str,
    step_id: str,
    reason: str = Form(""),
    db: Session = web_db,
    caller: Caller = Depends(web_caller),
) -> Response:
    """Skip a step, with the reason the person typed."""
    case = caller.case(db, reference)
    case_steps.skip_step(db, actor=caller.actor, case=case, step_id=step_id, reason=reason)
    return _after_step(request, db, caller, case.reference, f"#step-{step_id}")


@router.post("/cases/{reference}/steps/{step_id}/reopen", response_class=HTMLResponse)
def reopen_step(
    request: Request,
    reference: str,
    step_id: str,
    db: Session = web_db,
    caller: Caller = Depends(web_caller),
) -> Response:
    """Open a finished step again."""
    case = caller.case(db, reference)
    case_steps.reopen_step(db, actor=caller.actor, case=case, step_id=step_id)
    return _after_step(request, db, caller, case.reference, f"#step-{step_id}")


@router.post("/cases/{reference}/move")
def move_case(
    request: Request,
    reference: str,
    status: str = Form(...),
    note: str = Form(""),
    root_cause: str = Form(""),
    what_we_change: str = Form(""),
    db: Session = web_db,
    caller: Caller = Depends(web_caller),
) -> Response:
    """Move the case along its lifecycle; the gates may refuse (P9, P11); closing records P24's review."""
    case = caller.case(db, reference)
    review = {"root_cause": root_cause, "what_we_change": what_we_change}
    cases.move_case(db, actor=caller.actor, case=case, status=status, note=note, **review)
    return redirect(request, f"/cases/{case.reference}")


@router.post("/cases/{reference}/notes")
def add_note(
    request: Request,
    reference: str,
    body: str = Form(...),
    db: Session = web_db,
    caller: Caller = Depends(web_caller),
) -> Response:
    """Add an internal note (never shown to the client)."""
    case = caller.case(db, reference)
    cases.add_note(db, actor=caller.actor, case=case, body=body)
    return redirect(request, f"/cases/{case.reference}")


@router.post("/cases/{reference}/triage/accept")
def accept_triage(
    request: Request, reference: str, db: Session = web_db, caller: Caller = Depends(web_caller)
) -> Response:
    """A person takes triage's proposed severity and category; triage changes them no more (P4)."""
    case = caller.case(db, reference)
    triage.accept_proposal(db, actor=caller.actor, case=case)
    return redirect(request, f"/cases/{case.reference}")


@router.post("/cases/{reference}/facts")
def update_facts(
    request: Request,
    reference: str,
    change: Annotated[FactsIn, Form()],
    db: Session = web_db,
    caller: Caller = Depends(web_caller),
) -> Response:
    """Save the facts form: severity (with the reason for overriding triage, P4), category, fault,
    legal review, approach and both sides' views; each changed fact is one timeline event."""
    case = caller.case(db, reference)
    facts.update_facts(db, actor=caller.actor, case=case, change=change)
    return redirect(request, f"/cases/{case.reference}#facts")
