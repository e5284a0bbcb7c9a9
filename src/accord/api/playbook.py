"""/api/v1 playbook endpoints: the active plan, a case's steps and its advice (P2, P9, P13)."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from accord.cases import steps as case_steps
from accord.coach import advice as case_advice
from accord.http.deps import Caller, db_session, get_caller
from accord.playbook import service as playbooks
from accord.playbook.definition import Playbook
from accord.playbook.schemas import CaseAdviceOut, CompleteStepIn, ReopenStepIn, SkipStepIn, StepRunOut

router = APIRouter(prefix="/api/v1", tags=["playbook"])


@router.get("/playbook", response_model=Playbook)
def get_playbook(db: Session = db_session, caller: Caller = Depends(get_caller)) -> Playbook:
    """The playbook this workspace follows."""
    return playbooks.active_playbook(db, workspace_id=caller.workspace.id)


@router.get("/cases/{reference}/steps", response_model=list[StepRunOut])
def list_steps(
    reference: str, db: Session = db_session, caller: Caller = Depends(get_caller)
) -> list[StepRunOut]:
    """The case's playbook steps, in order, with their state."""
    case = caller.case(db, reference)
    return [StepRunOut.model_validate(r) for r in case_steps.list_steps(db, actor=caller.actor, case=case)]


@router.post("/cases/{reference}/steps/{step_id}/complete", response_model=StepRunOut)
def complete_step(
    reference: str,
    step_id: str,
    body: CompleteStepIn,
    db: Session = db_session,
    caller: Caller = Depends(get_caller),
) -> StepRunOut:
    """Mark a step done, with notes."""
    case = caller.case(db, reference)
    run = case_steps.complete_step(db, actor=caller.actor, case=case, step_id=step_id, notes=body.notes)
    return StepRunOut.model_validate(run)


@router.post("/cases/{reference}/steps/{step_id}/notes", response_model=StepRunOut)
def save_step_notes(
    reference: str,
    step_id: str,
    body: CompleteStepIn,
    db: Session = db_session,
    caller: Caller = Depends(get_caller),
) -> StepRunOut:
    """Save notes on an open step without finishing it (P13: notes kept as you go)."""
    case = caller.case(db, reference)
    run = case_steps.save_step_notes(db, actor=caller.actor, case=case, step_id=step_id, notes=body.notes)
    return StepRunOut.model_validate(run)


@router.post("/cases/{reference}/steps/{step_id}/skip", response_model=StepRunOut)
def skip_step(
    reference: str,
    step_id: str,
    body: SkipStepIn,
    db: Session = db_session,
    caller: Caller = Depends(get_caller),
) -> StepRunOut:
    """Skip a step, with the reason."""
    case = caller.case(db, reference)
    run = case_steps.skip_step(db, actor=caller.actor, case=case, step_id=step_id, reason=body.reason)
    return StepRunOut.model_validate(run)


@router.post("/cases/{reference}/steps/{step_id}/reopen", response_model=StepRunOut)
def reopen_step(
    reference: str,
    step_id: str,
    body: ReopenStepIn,
    db: Session = db_session,
    caller: Caller = Depends(get_caller),
) -> StepRunOut:
    """Open a finished step again."""
    case = caller.case(db, reference)
    run = case_steps.reopen_step(db, actor=caller.actor, case=case, step_id=step_id, reason=body.reason)
    return StepRunOut.model_validate(run)


@router.get("/cases/{reference}/advice", response_model=CaseAdviceOut)
def get_advice(
    reference: str, db: Session = db_session, caller: Caller = Depends(get_caller)
) -> CaseAdviceOut:
    """Approach, apology, channel, spokesperson and preparation advice for the case."""
    case = caller.case(db, reference)
    return CaseAdviceOut.model_validate(case_advice.advise_case(db, case=case))
