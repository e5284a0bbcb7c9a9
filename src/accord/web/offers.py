"""Offers on the case page: propose a pre-approved solution, approve, record the answer (P19-P21)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from accord.cases.models import Case
from accord.http.deps import Caller
from accord.http.params import RowId
from accord.offers import service as offers
from accord.web.deps import web_caller, web_db
from accord.web.render import is_htmx, page, redirect

router = APIRouter(include_in_schema=False)


def _case(db: Session, caller: Caller, reference: str) -> Case:
    return caller.case(db, reference)


def offers_partial(request: Request, db: Session, caller: Caller, case: Case) -> HTMLResponse:
    """The offers card: solutions with limits, offers so far, haggling warnings."""
    return page(
        request, "_offers.html", {"case": case, "o": offers.case_offers(db, actor=caller.actor, case=case)}
    )


@router.post("/cases/{reference}/offers", response_class=HTMLResponse)
def propose_offer(
    request: Request,
    reference: str,
    solution_id: str = Form(...),
    amount: str = Form(""),
    note: str = Form(""),
    db: Session = web_db,
    caller: Caller = Depends(web_caller),
) -> Response:
    """Offer one pre-approved solution; beyond its limit it waits for an approver (P19)."""
    case = _case(db, caller, reference)
    value = float(amount) if amount.strip().replace(".", "", 1).isdigit() else None
    offers.propose_offer(db, actor=caller.actor, case=case, solution_id=solution_id, amount=value, note=note)
    if not is_htmx(request):  # a plain form (JavaScript off) goes back to the case page
        return redirect(request, f"/cases/{case.reference}")
    return offers_partial(request, db, caller, case)


@router.post("/cases/{reference}/offers/{offer_id}/approve", response_class=HTMLResponse)
def approve_offer(
    request: Request,
    reference: str,
    offer_id: RowId,
    db: Session = web_db,
    caller: Caller = Depends(web_caller),
) -> HTMLResponse:
    """An approver signs off an offer beyond its limit."""
    case = _case(db, caller, reference)
    offers.approve_offer(db, actor=caller.actor, case=case, offer_id=offer_id)
    return offers_partial(request, db, caller, case)


@router.post("/cases/{reference}/offers/{offer_id}/respond", response_class=HTMLResponse)
def record_response(
    request: Request,
    reference: str,
    offer_id: RowId,
    answer: str = Form(...),
    db: Session = web_db,
    caller: Caller = Depends(web_caller),
) -> HTMLResponse:
    """Record the client's yes or no to an offer."""
    case = _case(db, caller, reference)
    offers.record_offer_response(
        db, actor=caller.actor, case=case, offer_id=offer_id, accepted=answer == "yes"
    )
    return offers_partial(request, db, caller, case)


@router.post("/cases/{reference}/offers/{offer_id}/withdraw", response_class=HTMLResponse)
def withdraw_offer(
    request: Request,
    reference: str,
    offer_id: RowId,
    db: Session = web_db,
    caller: Caller = Depends(web_caller),
) -> HTMLResponse:
    """Take back an offer the client has not answered."""
    case = _case(db, caller, reference)
    offers.withdraw_offer(db, actor=caller.actor, case=case, offer_id=offer_id)
    return offers_partial(request, db, caller, case)
