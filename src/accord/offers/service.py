"""Offers: the only writer. P19 pre-approved solutions within limits, P20 hold the line, P21 end it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from accord.cases import service as cases
from accord.cases.models import Case
from accord.cases.schemas import CaseFilter
from accord.cases.timeline import record_event
from accord.cases.transitions import OPEN_STATUSES
from accord.clients import service as clients
from accord.clients.models import Client
from accord.clock import ensure_aware, now
from accord.errors import Conflict, Invalid, NotFound
from accord.intake import service as intake
from accord.offers import repository, rules
from accord.offers.models import Offer
from accord.playbook.service import active_playbook
from accord.text import clean_text
from accord.users.access import ActorLike, require_role, require_same_workspace, require_write

OWNER_ONLY = ("owner",)


def _playbook_solutions(db: Session, workspace_id: int) -> dict[str, list[Any]]:
    """The playbook's pre-approved solutions by category (P2, P19)."""
    return dict(active_playbook(db, workspace_id=workspace_id).solutions)


def solutions_for(db: Session, *, case: Case) -> list[Any]:
    """The pre-approved solutions for this case's category, with their limits (P19)."""
    return list(_playbook_solutions(db, case.workspace_id).get(case.category, []))


def _solution(db: Session, case: Case, solution_id: str) -> Any:
    catalog = _playbook_solutions(db, case.workspace_id)
    ordered = catalog.get(case.category, []) + [
        s for k, v in catalog.items() if k != case.category for s in v
    ]
    for solution in ordered:
        if solution.id == solution_id:
            return solution
    known = ", ".join(s.id for s in catalog.get(case.category, [])) or "none"
    raise NotFound(f"No pre-approved solution '{solution_id}'. For {case.category} cases: {known}.")


def list_offers(db: Session, *, actor: ActorLike | None, case: Case) -> list[Offer]:
    """The case's offers, oldest first."""
    require_same_workspace(actor, case.workspace_id, "Case")
    return repository.offers_of(db, case.id)


def _offer(db: Session, case: Case, offer_id: int) -> Offer:
    offer = repository.offer_by_id(db, offer_id)
    if offer is None or offer.case_id != case.id:
        raise NotFound(f"No offer {offer_id} on {case.reference}.")
    return offer


def _amount(solution: Any, amount: float | None) -> float:
    value = float(solution.limit if amount is None else amount)
    if value < 0 or value > 1e9:
        raise Invalid("The amount must be between 0 and 1,000,000,000.")
    return value


def _new_offer(
    solution: Any, check: rules.LimitCheck, *, case: Case, actor: ActorLike | None, note: str
) -> Offer:
    """The offer row; an approver proposing beyond the limit approves it in the same act (P7: no waiting)."""
    may_approve = actor is not None and actor.role in check.approver_roles
    return Offer(
        case_id=case.id,
        solution_id=solution.id,
        title=solution.title,
        kind=solution.kind,
        amount=check.amount,
        limit=check.limit,
        term=solution.term,
        note=clean_text(note, field="Note", max_chars=5000),
        needs_approval=not check.within,
        proposed_by=None if actor is None else actor.id,
        approved_by=actor.id if (actor is not None and may_approve and not check.within) else None,
        created_at=now(),
    )


def propose_offer(
    db: Session,
    *,
    actor: ActorLike | None,
    case: Case,
    solution_id: str,
    amount: float | None = None,
    note: str = "",
) -> Offer:
    """Offer a pre-approved solution; beyond the limit it waits for an approver (P19)."""
    require_write(actor)
    require_same_workspace(actor, case.workspace_id, "Case")
    solution = _solution(db, case, solution_id)
    roles = tuple(solution.approver_roles)
    limit = float(solution.limit)
    check = rules.check_limit(amount=_amount(solution, amount), limit=limit, approver_roles=roles)
    superseded = [o for o in list_offers(db, actor=actor, case=case) if o.status == "proposed"]
    for old in superseded:
        old.status = "superseded"
    offer = _new_offer(solution, check, case=case, actor=actor, note=note)
    db.add(offer)
    db.flush()
    data = {
        "offer_id": offer.id,
        "solution_id": offer.solution_id,
        "title": offer.title,
        "amount": offer.amount,
        "limit": offer.limit,
        "within_limit": check.within,
        "awaiting_approval": not offer.approved,
        "superseded": [o.id for o in superseded],
        "message": check.message,
    }
    record_event(db, case=case, kind="offer_proposed", actor=actor, data=data)
    return offer


def approve_offer(db: Session, *, actor: ActorLike | None, case: Case, offer_id: int) -> Offer:
    """An approver signs off an offer beyond its limit (P19); others get Forbidden naming who may."""
    require_write(actor)
    offer = _offer(db, case, offer_id)
    solution = _solution(db, case, offer.solution_id)
    require_role(actor, tuple(solution.approver_roles), f"approve offers beyond the limit of {offer.limit:g}")
    if offer.approved:
        raise Conflict(f"Offer {offer.id} needs no approval: it is within the limit or already approved.")
    if offer.status != "proposed":
        raise Conflict(f"Offer {offer.id} is {offer.status}; only a proposed offer can be approved.")
    offer.approved_by = None if actor is None else actor.id
    db.flush()
    record_event(db, case=case, kind="offer_approved", actor=actor, data={"offer_id": offer.id})
    return offer


def record_offer_response(
    db: Session, *, actor: ActorLike | None, case: Case, offer_id: int, accepted: bool
) -> Offer:
    """Record the client's yes or no to an offer (P13 step 6: once agreed, it stands)."""
    require_write(actor)
    offer = _offer(db, case, offer_id)
    if offer.status != "proposed":
        raise Conflict(f"Offer {offer.id} is {offer.status}; only a proposed offer can be answered.")
    if not offer.approved:
        raise Conflict(
            f"Offer {offer.id} is beyond its limit and not approved yet; an approver must sign it off."
        )
    offer.status = "accepted" if accepted else "declined"
    offer.responded_at = now()
    db.flush()
    record_event(db, case=case, kind=f"offer_{offer.status}", actor=actor, data={"offer_id": offer.id})
    return offer


def withdraw_offer(
    db: Session, *, actor: ActorLike | None, case: Case, offer_id: int, reason: str = ""
) -> Offer:
    """Take back an offer that the client has not answered."""
    require_write(actor)
    offer = _offer(db, case, offer_id)
    if offer.status != "proposed":
        raise Conflict(f"Offer {offer.id} is {offer.status}; only a proposed offer can be withdrawn.")
    offer.status = "withdrawn"
    db.flush()
    reason = clean_text(reason, field="Reason", max_chars=2000)
    record_event(
        db, case=case, kind="offer_withdrawn", actor=actor, data={"offer_id": offer.id, "reason": reason}
    )
    return offer


def current_offer_text(db: Session, *, case: Case) -> str:
    """The offer the client has (latest proposed or accepted), in words; empty when none (coach, P20)."""
    live = [
        o
        for o in list_offers(db, actor=None, case=case)
        if o.status in ("proposed", "accepted") and o.approved
    ]
    if not live:
        return ""
    offer = live[-1]
    unit = " %" if offer.kind in rules.PERCENT_KINDS else ""
    amount = f" of {offer.amount:g}{unit}" if offer.kind in ("credit_percent", "refund_amount") else ""
    return f"{offer.title}{amount}"


@dataclass
class HagglingWarning:
    """One client message that bargains over a firm offer, the evidence, and what to do (P20)."""

    message_id: int
    received_at: Any
    signals: list[rules.HagglingSignal]
    advice: list[str] = field(default_factory=list)
    repeated: bool = False


def detect_haggling(db: Session, *, case: Case) -> list[HagglingWarning]:
    """P20: inbound messages after the first offer that treat it as an opening bid, with advice."""
    offers = [o for o in list_offers(db, actor=None, case=case) if o.status != "withdrawn"]
    if not offers:
        return []
    since = ensure_aware(offers[0].created_at)
    client = db.get(Client, case.client_id)
    terms = client.termination_terms if client is not None else ""
    warnings: list[HagglingWarning] = []
    for message in intake.list_messages(db, actor=None, case=case):
        if message.direction != "inbound" or ensure_aware(message.created_at) <= since:
            continue
        signals = rules.find_haggling(message.body)
        if signals:
            repeated = bool(warnings)
            advice = rules.haggling_advice(termination_terms=terms, repeated=repeated)
            warnings.append(HagglingWarning(message.id, message.created_at, signals, advice, repeated))
    return warnings


def end_relationship(db: Session, *, actor: ActorLike | None, client: Client, reason: str) -> Client:
    """P21: the owner may end a toxic relationship; every open case of the client records why."""
    require_role(actor, OWNER_ONLY, "end a client relationship")
    require_same_workspace(actor, client.workspace_id, "Client")
    reason = clean_text(reason, field="Reason", max_chars=5000, required=True)
    if client.status == "ended":
        raise Conflict(f"The relationship with {client.name} has already ended.")
    clients.set_client_status(db, actor=actor, client=client, status="ended")
    flt = CaseFilter(statuses=OPEN_STATUSES, client_id=client.id)
    for case in cases.list_cases(db, actor=actor, workspace_id=client.workspace_id, flt=flt, limit=500):
        record_event(
            db,
            case=case,
            kind="relationship_ended",
            actor=actor,
            data={"client": client.name, "reason": reason, "terms": client.termination_terms},
        )
    return client


def case_offers(db: Session, *, actor: ActorLike | None, case: Case) -> dict[str, Any]:
    """Solutions with limits, offers and haggling warnings for one case (what every surface shows)."""
    return {
        "solutions": solutions_for(db, case=case),
        "offers": list_offers(db, actor=actor, case=case),
        "haggling": detect_haggling(db, case=case),
    }
