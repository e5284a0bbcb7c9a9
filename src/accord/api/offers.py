"""/api/v1 offers: solutions with limits, offers, approvals, answers, haggling (P19-P21)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from accord.clients import service as clients
from accord.http.deps import Caller, db_session, get_caller
from accord.http.params import RowId
from accord.offers import service as offers
from accord.offers.schemas import CaseOffersOut, EndRelationshipIn, OfferIn, OfferOut, ResponseIn

router = APIRouter(prefix="/api/v1", tags=["offers"])


def _case(db: Session, caller: Caller, reference: str) -> Any:
    return caller.case(db, reference)


@router.get("/cases/{reference}/offers", response_model=CaseOffersOut)
def get_offers(reference: str, db: Session = db_session, caller: Caller = Depends(get_caller)) -> Any:
    """Pre-approved solutions for the case, offers made, and haggling warnings."""
    case = _case(db, caller, reference)
    return CaseOffersOut.model_validate(
        offers.case_offers(db, actor=caller.actor, case=case), from_attributes=True
    )


@router.post("/cases/{reference}/offers", response_model=OfferOut, status_code=201)
def post_offer(
    reference: str, body: OfferIn, db: Session = db_session, caller: Caller = Depends(get_caller)
) -> Any:
    """Propose a pre-approved solution; beyond its limit it waits for an approver."""
    case = _case(db, caller, reference)
    return offers.propose_offer(
        db, actor=caller.actor, case=case, solution_id=body.solution_id, amount=body.amount, note=body.note
    )


@router.post("/cases/{reference}/offers/{offer_id}/approve", response_model=OfferOut)
def post_approve(
    reference: str, offer_id: RowId, db: Session = db_session, caller: Caller = Depends(get_caller)
) -> Any:
    """Approve an offer beyond its limit (403 for roles the playbook does not name)."""
    case = _case(db, caller, reference)
    return offers.approve_offer(db, actor=caller.actor, case=case, offer_id=offer_id)


@router.post("/cases/{reference}/offers/{offer_id}/response", response_model=OfferOut)
def post_response(
    reference: str,
    offer_id: RowId,
    body: ResponseIn,
    db: Session = db_session,
    caller: Caller = Depends(get_caller),
) -> Any:
    """Record the client's answer."""
    case = _case(db, caller, reference)
    return offers.record_offer_response(
        db, actor=caller.actor, case=case, offer_id=offer_id, accepted=body.accepted
    )


@router.post("/clients/{key}/end-relationship")
def post_end_relationship(
    key: str, body: EndRelationshipIn, db: Session = db_session, caller: Caller = Depends(get_caller)
) -> dict[str, str]:
    """P21: end a toxic relationship (owner only)."""
    client = clients.get_client(db, actor=caller.actor, workspace_id=caller.workspace.id, key=key)
    offers.end_relationship(db, actor=caller.actor, client=client, reason=body.reason)
    return {"client": client.name, "status": client.status}
