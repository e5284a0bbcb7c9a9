"""/api/v1 cadence endpoints: a case's clocks and the reminders sent (P6, P22)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session

from accord.cadence import confirmation as confirm
from accord.cadence import service as cadence
from accord.cadence.schemas import CallConfirmationIn, ClocksOut, ConfirmationRequestOut, ReminderOut
from accord.http.deps import Caller, db_session, get_caller

router = APIRouter(prefix="/api/v1", tags=["cadence"])


@router.get("/cases/{reference}/clocks", response_model=ClocksOut)
def get_clocks(reference: str, db: Session = db_session, caller: Caller = Depends(get_caller)) -> Any:
    """What is due when on this case."""
    case = caller.case(db, reference)
    return cadence.clock_view(db, actor=caller.actor, case=case)


@router.get("/reminders", response_model=list[ReminderOut])
def list_reminders(db: Session = db_session, caller: Caller = Depends(get_caller)) -> Any:
    """Reminders and escalations, newest first."""
    return cadence.list_reminders(db, actor=caller.actor, workspace_id=caller.workspace.id)


@router.post(
    "/cases/{reference}/confirmation-request", response_model=ConfirmationRequestOut, status_code=201
)
def request_confirmation(
    request: Request, reference: str, db: Session = db_session, caller: Caller = Depends(get_caller)
) -> Any:
    """Ask the client to confirm the resolution (P23): awaiting_confirmation + an emailed single-use link."""
    case = caller.case(db, reference)
    base = str(request.base_url)  # the workspace's base URL wins over it (settings page)
    _confirmation, url = confirm.request_confirmation(
        db, actor=caller.actor, case=case, request_base_url=base
    )
    return {"reference": case.reference, "status": case.status, "url": url}


@router.post("/cases/{reference}/call-confirmation", response_model=ClocksOut)
def record_call_confirmation(
    reference: str,
    body: CallConfirmationIn,
    db: Session = db_session,
    caller: Caller = Depends(get_caller),
) -> Any:
    """Record a confirmation the client gave on a call, with a note; the case is resolved (P23)."""
    case = caller.case(db, reference)
    confirm.record_call_confirmation(db, actor=caller.actor, case=case, note=body.note)
    return cadence.clock_view(db, actor=caller.actor, case=case)
