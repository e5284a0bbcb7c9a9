"""Offers on the case page: propose, counter, revise, approve, answer, withdraw; the way out (P19-P21)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from accord.cases.models import Case
from accord.clients import service as clients
from accord.errors import Invalid
from accord.http.deps import Caller
from accord.http.params import RowId
from accord.offers import firmness
from accord.offers import service as offers
from accord.web.deps import web_caller, web_db
from accord.web.render import is_htmx, page, redirect

router = APIRouter(include_in_schema=False)


def _case(db: Session, caller: Caller, reference: str) -> Case:
    return caller.case(db, reference)


def _amount(text: str) -> float | None:
    """Parse a typed amount; blank stays blank (never the maximum), junk is refused in words."""
    text = text.strip().replace(",", ".")
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise Invalid(f"'{text[:40]}' is not a number; type an amount such as 10 or 2.5.") from None


def offers_partial(request: Request, db: Session, caller: Caller, case: Case) -> HTMLResponse:
    """The offers card: catalog with limits in units, offers so far, haggling and drift."""
    context = {"case": case, "o": firmness.case_offers(db, actor=caller.actor, case=case)}
    return page(request, "_offers.html", context)


def _after(request: Request, db: Session, caller: Caller, case: Case) -> Response:
    if not is_htmx(request):  # a plain form (JavaScript off) goes back to the case page
        return redirect(request, f"/cases/{case.reference}")
    return offers_partial(request, db, caller, case)


@router.post("/cases/{reference}/offers", response_class=HTMLResponse)
def propose_offer(
    request: Request,
    reference: str,
    solution_id: str = Form(...),
    amount: str = Form(""),
    note: str = Form(""),
    title: str = Form(""),
    accept_drift: bool = Form(False),
    db: Session = web_db,
    caller: Caller = Depends(web_caller),
) -> Response:
    """Offer a catalog remedy or a custom one; a larger offer than the last needs the drift box ticked."""
    case = _case(db, caller, reference)
    offers.propose_offer(
        db,
        actor=caller.actor,
        case=case,
        solution_id=solution_id,
        amount=_amount(amount),
        note=note,
        title=title,
        accept_drift=accept_drift,
    )
    return _after(request, db, caller, case)


@router.post("/cases/{reference}/offers/{offer_id}/revise", response_class=HTMLResponse)
def revise_offer(
    request: Request,
    reference: str,
    offer_id: RowId,
    amount: str = Form(""),
    accept_drift: bool = Form(False),
    db: Session = web_db,
    caller: Caller = Depends(web_caller),
) -> Response:
    """Replace our live offer with a new amount (P20: a larger one needs the drift box)."""
    case = _case(db, caller, reference)
    offers.revise_offer(
        db,
        actor=caller.actor,
        case=case,
        offer_id=offer_id,
        amount=_amount(amount),
        accept_drift=accept_drift,
    )
    return _after(request, db, caller, case)


@router.post("/cases/{reference}/offers/{offer_id}/counter", response_class=HTMLResponse)
def counter_offer(
    request: Request,
    reference: str,
    offer_id: RowId,
    amount: str = Form(""),
    note: str = Form(""),
    db: Session = web_db,
    caller: Caller = Depends(web_caller),
) -> Response:
    """Record what the client asked for instead of our offer."""
    case = _case(db, caller, reference)
    offers.counter_offer(
        db, actor=caller.actor, case=case, offer_id=offer_id, amount=_amount(amount), note=note
    )
    return _after(request, db, caller, case)


_VERBS: dict[str, Callable[..., Any]] = {
    "approve": offers.approve_offer,
    "accept": offers.accept_offer,
    "decline": offers.decline_offer,
    "withdraw": offers.withdraw_offer,
}


def _verb_route(verb: str) -> None:
    @router.post(f"/cases/{{reference}}/offers/{{offer_id}}/{verb}", response_class=HTMLResponse)
    def act(
        request: Request,
        reference: str,
        offer_id: RowId,
        db: Session = web_db,
        caller: Caller = Depends(web_caller),
    ) -> Response:
        case = _case(db, caller, reference)
        _VERBS[verb](db, actor=caller.actor, case=case, offer_id=offer_id)
        return _after(request, db, caller, case)

    act.__doc__ = f"{verb.capitalize()} an offer."


for _name in _VERBS:
    _verb_route(_name)


@router.post("/cases/{reference}/offers/{offer_id}/respond", response_class=HTMLResponse)
def record_response(
    request: Request,
    reference: str,
    offer_id: RowId,
    answer: str = Form(...),
    db: Session = web_db,
    caller: Caller = Depends(web_caller),
) -> Response:
    """Record the client's yes or no to an offer."""
    case = _case(db, caller, reference)
    offers.record_offer_response(
        db, actor=caller.actor, case=case, offer_id=offer_id, accepted=answer == "yes"
    )
    return _after(request, db, caller, case)


@router.post("/cases/{reference}/client-toxic", response_class=HTMLResponse)
def mark_toxic(
    request: Request,
    reference: str,
    toxic: bool = Form(True),
    db: Session = web_db,
    caller: Caller = Depends(web_caller),
) -> Response:
    """P21: mark the case's client toxic (owner or lead); the way out then shows on every case."""
    case = _case(db, caller, reference)
    client = clients.get_client(db, actor=caller.actor, workspace_id=case.workspace_id, key=case.client_id)
    clients.mark_client_toxic(db, actor=caller.actor, client=client, toxic=toxic)
    return redirect(request, f"/cases/{case.reference}#exit")


@router.post("/cases/{reference}/end-relationship", response_class=HTMLResponse)
def end_relationship(
    request: Request,
    reference: str,
    reason: str = Form(""),
    done: list[str] = Form([]),
    db: Session = web_db,
    caller: Caller = Depends(web_caller),
) -> Response:
    """P21: end the relationship by the contract once the checklist is done (owner only)."""
    case = _case(db, caller, reference)
    client = clients.get_client(db, actor=caller.actor, workspace_id=case.workspace_id, key=case.client_id)
    offers.end_relationship(db, actor=caller.actor, client=client, reason=reason, done=done)
    if not is_htmx(request):
        return redirect(request, f"/cases/{case.reference}#exit")
    context = {"case": case, "x": firmness.case_exit(db, case=case)}
    return page(request, "_exit.html", context)
