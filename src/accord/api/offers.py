"""/api/v1 offers: the catalog in units, the offer lifecycle, firmness, the way out, costs (P19-P21, P24)."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, Query
from sqlalchemy.orm import Session

from accord.cases.models import Case
from accord.clients import service as clients
from accord.http.deps import Caller, db_session, get_caller
from accord.http.params import RowId
from accord.offers import firmness
from accord.offers import service as offers
from accord.offers.schemas import (
    AmountIn,
    CaseOffersOut,
    CostRowOut,
    EndRelationshipIn,
    ExitOut,
    FirmnessOut,
    OfferIn,
    OfferOut,
    ResponseIn,
)

router = APIRouter(prefix="/api/v1", tags=["offers"])


def _case(db: Session, caller: Caller, reference: str) -> Case:
    return caller.case(db, reference)


@router.get("/cases/{reference}/offers", response_model=CaseOffersOut)
def get_offers(reference: str, db: Session = db_session, caller: Caller = Depends(get_caller)) -> Any:
    """The catalog with limits in units, offers and counters, haggling, and the way out."""
    case = _case(db, caller, reference)
    return CaseOffersOut.model_validate(firmness.case_offers(db, actor=caller.actor, case=case))


@router.get("/cases/{reference}/firmness", response_model=FirmnessOut)
def get_firmness(reference: str, db: Session = db_session, caller: Caller = Depends(get_caller)) -> Any:
    """P20: haggling with evidence, whether it repeats, the termination terms and remain-firm guidance."""
    return firmness.case_firmness(db, case=_case(db, caller, reference))


@router.get("/cases/{reference}/exit", response_model=ExitOut)
def get_exit(reference: str, db: Session = db_session, caller: Caller = Depends(get_caller)) -> Any:
    """P21: the termination terms and the checklist to end the relationship by the contract."""
    return firmness.case_exit(db, case=_case(db, caller, reference))


@router.post("/cases/{reference}/offers", response_model=OfferOut, status_code=201)
def post_offer(
    reference: str, body: OfferIn, db: Session = db_session, caller: Caller = Depends(get_caller)
) -> Any:
    """Propose a catalog or custom remedy; 409 `concession_drift` when larger than the last offer."""
    return offers.propose_offer(
        db, actor=caller.actor, case=_case(db, caller, reference), **body.model_dump()
    )


@router.post("/cases/{reference}/offers/{offer_id}/revise", response_model=OfferOut, status_code=201)
def post_revise(
    reference: str,
    offer_id: RowId,
    body: AmountIn,
    db: Session = db_session,
    caller: Caller = Depends(get_caller),
) -> Any:
    """Replace our live offer with a new amount (drift is refused unless accepted)."""
    case = _case(db, caller, reference)
    return offers.revise_offer(db, actor=caller.actor, case=case, offer_id=offer_id, **body.model_dump())


@router.post("/cases/{reference}/offers/{offer_id}/counter", response_model=OfferOut, status_code=201)
def post_counter(
    reference: str,
    offer_id: RowId,
    body: AmountIn,
    db: Session = db_session,
    caller: Caller = Depends(get_caller),
) -> Any:
    """Record the client's counter to our offer."""
    case = _case(db, caller, reference)
    return offers.counter_offer(
        db, actor=caller.actor, case=case, offer_id=offer_id, amount=body.amount, note=body.note
    )


@router.post("/cases/{reference}/offers/{offer_id}/response", response_model=OfferOut)
def post_response(
    reference: str,
    offer_id: RowId,
    body: ResponseIn,
    db: Session = db_session,
    caller: Caller = Depends(get_caller),
) -> Any:
    """Record the client's answer as a boolean (accept or decline)."""
    case = _case(db, caller, reference)
    return offers.record_offer_response(
        db, actor=caller.actor, case=case, offer_id=offer_id, accepted=body.accepted
    )


OfferVerb = Literal["approve", "accept", "decline", "withdraw"]
_VERBS = {
    "approve": offers.approve_offer,
    "accept": offers.accept_offer,
    "decline": offers.decline_offer,
    "withdraw": offers.withdraw_offer,
}


@router.post("/cases/{reference}/offers/{offer_id}/{verb}", response_model=OfferOut)
def post_verb(
    reference: str,
    offer_id: RowId,
    verb: OfferVerb,
    db: Session = db_session,
    caller: Caller = Depends(get_caller),
) -> Any:
    """approve (403 for roles the catalog does not name), accept, decline or withdraw an offer."""
    return _VERBS[verb](db, actor=caller.actor, case=_case(db, caller, reference), offer_id=offer_id)


@router.get("/offers/costs", response_model=list[CostRowOut])
def get_costs(
    by: Literal["case", "client", "category", "month"] = Query("client"),
    db: Session = db_session,
    caller: Caller = Depends(get_caller),
) -> Any:
    """P24: what accepted concessions cost, by case, client, category or month."""
    return firmness.offer_costs(db, actor=caller.actor, workspace_id=caller.workspace.id, by=by)


@router.post("/clients/{key}/toxic")
def post_toxic(
    key: str, toxic: bool = Query(True), db: Session = db_session, caller: Caller = Depends(get_caller)
) -> dict[str, Any]:
    """P21: mark (or unmark) a client relationship as toxic (owner or lead)."""
    client = clients.get_client(db, actor=caller.actor, workspace_id=caller.workspace.id, key=key)
    clients.mark_client_toxic(db, actor=caller.actor, client=client, toxic=toxic)
    return {"client": client.name, "toxic": client.toxic}


@router.post("/clients/{key}/end-relationship")
def post_end_relationship(
    key: str, body: EndRelationshipIn, db: Session = db_session, caller: Caller = Depends(get_caller)
) -> dict[str, str]:
    """P21: end a relationship by the contract (owner only; every checklist item done)."""
    client = clients.get_client(db, actor=caller.actor, workspace_id=caller.workspace.id, key=key)
    offers.end_relationship(db, actor=caller.actor, client=client, reason=body.reason, done=body.done)
    return {"client": client.name, "status": client.status, "reason": client.ended_reason}
