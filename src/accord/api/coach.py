"""/api/v1 coach endpoints: check a reply, draft one, send one through the coach (P13-P22)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from accord.cases import service as cases
from accord.coach import service as coach
from accord.coach.schemas import CheckIn, CheckOut, DraftOut, ReplyIn
from accord.http.deps import Caller, db_session, get_caller
from accord.intake import service as intake
from accord.intake.schemas import MessageOut

router = APIRouter(prefix="/api/v1", tags=["coach"])


@router.post("/coach/check", response_model=CheckOut)
def check_reply(body: CheckIn, db: Session = db_session, caller: Caller = Depends(get_caller)) -> Any:
    """Check a reply for double-talk, blame, hedging, missing steps and more."""
    if body.case:
        case = cases.get_case(db, actor=caller.actor, workspace_id=caller.workspace.id, reference=body.case)
        return coach.check_case_reply(db, case=case, text=body.text).as_dict()
    return coach.check_text(body.text).as_dict()


@router.post("/cases/{reference}/replies", status_code=201)
def send_reply(
    reference: str, body: ReplyIn, db: Session = db_session, caller: Caller = Depends(get_caller)
) -> dict[str, Any]:
    """Send a reply after the coach checked it (409 with the findings when it blocks): by email it is
    queued for SMTP and `state` says queued; `GET /cases/{ref}/messages` shows when it was sent."""
    case = caller.case(db, reference)
    message = coach.send_reply(
        db,
        actor=caller.actor,
        case=case,
        body=body.body,
        override_reason=body.override_reason,
        channel=body.channel,
    )
    return {
        "case": case.reference,
        **MessageOut.model_validate(intake.view_message(db, message=message)).model_dump(),
    }


@router.get("/cases/{reference}/draft", response_model=DraftOut)
def get_draft(
    reference: str,
    purpose: str = "acknowledge",
    db: Session = db_session,
    caller: Caller = Depends(get_caller),
) -> DraftOut:
    """A draft reply for the case that passes the coach."""
    case = caller.case(db, reference)
    return DraftOut(purpose=purpose, body=coach.draft_reply(db, case=case, purpose=purpose))
