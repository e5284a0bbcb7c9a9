"""Offers: the only writer. P19 remedies within limits, P20 hold the line, P21 the way out, P24 costs.

Each state change is one verb with a timeline event: propose (catalog or custom), counter (the
client's), revise, withdraw, approve, accept, decline, expire; and end_relationship.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
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
from accord.offers import drafts, ending, lifecycle, limits, repository
from accord.offers.models import Offer
from accord.text import clean_text
from accord.users.access import ActorLike, require_role, require_same_workspace, require_write

OWNER_ONLY = ("owner",)


def current_offer_text(db: Session, *, case: Case) -> str:
    """The offer the client has (latest live or accepted, ours, approved), in words; empty when none."""
    live = [
        o
        for o in list_offers(db, actor=None, case=case)
        if o.origin == "us" and o.status in ("proposed", "countered", "accepted") and o.approved
    ]
    if not live:
        return ""
    offer = live[-1]
    if offer.kind in ("credit_percent", "discount_percent", "refund_amount", "credit_amount", "free_hours"):
        return f"{offer.title} of {limits.fmt(offer.amount, offer.unit)}"
    return offer.title


def list_offers(db: Session, *, actor: ActorLike | None, case: Case) -> list[Offer]:
    """The case's offers and the client's counters, oldest first."""
    require_same_workspace(actor, case.workspace_id, "Case")
    return repository.offers_of(db, case.id)


def _offer(db: Session, case: Case, offer_id: int) -> Offer:
    offer = repository.offer_by_id(db, offer_id)
    if offer is None or offer.case_id != case.id:
        raise NotFound(f"No offer {offer_id} on {case.reference}.")
    return offer


def _write(
    db: Session, draft: drafts.Draft, *, actor: ActorLike | None, case: Case, note: str, parent: int | None
) -> Offer:
    """The offer row: it waits for an approver unless within the limits or approved by the proposer."""
    decision = draft.decision
    offer = Offer(
        case_id=case.id,
        client_id=case.client_id,
        parent_id=parent,
        solution_id=draft.solution_id,
        custom=draft.solution_id == drafts.CUSTOM,
        title=draft.title,
        kind=draft.kind,
        unit=draft.unit,
        currency=draft.currency,
        amount=draft.amount,
        limit=decision.limit or 0.0,
        term=draft.term,
        note=clean_text(note, field="Note", max_chars=5000),
        needs_approval=decision.needs_approval,
        proposed_by=None if actor is None else actor.id,
        approved_by=actor.id if (actor is not None and decision.approved_by_proposer) else None,
        created_at=now(),
        expires_at=now() + timedelta(days=draft.valid_days),
    )
    db.add(offer)
    db.flush()
    return offer


def _hold_the_line(draft: drafts.Draft, accept_drift: bool) -> dict[str, Any] | None:
    """P20: a larger offer than the last one is refused unless the person confirms it, seeing the history."""
    if draft.drift is None:
        return None
    detail = {"message": draft.drift.message, "history": [s.amount for s in draft.drift.history]}
    if not accept_drift:
        raise Conflict(draft.drift.message, code="concession_drift", detail=detail)
    return detail


def _send(
    db: Session,
    draft: drafts.Draft,
    *,
    actor: ActorLike | None,
    case: Case,
    note: str,
    accept_drift: bool,
    parent: Offer | None = None,
) -> Offer:
    drift = _hold_the_line(draft, accept_drift)
    replaced = [
        o for o in repository.offers_of(db, case.id) if o.origin == "us" and o.status in lifecycle.LIVE
    ]
    for old in replaced:
        old.status = lifecycle.next_status("revise", old.status, offer_id=old.id)
    offer = _write(db, draft, actor=actor, case=case, note=note, parent=None if parent is None else parent.id)
    data = {
        "offer_id": offer.id,
        "solution_id": offer.solution_id,
        "title": offer.title,
        "custom": offer.custom,
        "amount": offer.amount,
        "unit": offer.unit,
        "limit": offer.limit,
        "within_limit": draft.decision.within,
        "awaiting_approval": not offer.approved,
        "superseded": [o.id for o in replaced],
        "message": draft.decision.message,
        "drift": drift,
        "revises": None if parent is None else parent.id,
    }
    record_event(db, case=case, kind="offer_revised" if parent else "offer_proposed", actor=actor, data=data)
    return offer


def propose_offer(
    db: Session,
    *,
    actor: ActorLike | None,
    case: Case,
    solution_id: str,
    amount: float | None = None,
    note: str = "",
    title: str = "",
    kind: str = drafts.CUSTOM,
    accept_drift: bool = False,
) -> Offer:
    """Offer a catalog remedy (amount required, never defaulted) or a custom one (always approved) (P19)."""
    require_write(actor)
    require_same_workspace(actor, case.workspace_id, "Case")
    draft = drafts.draft_offer(
        db, actor=actor, case=case, solution_id=solution_id, amount=amount, title=title, kind=kind
    )
    return _send(db, draft, actor=actor, case=case, note=note, accept_drift=accept_drift)


def revise_offer(
    db: Session,
    *,
    actor: ActorLike | None,
    case: Case,
    offer_id: int,
    amount: float | None,
    note: str = "",
    accept_drift: bool = False,
) -> Offer:
    """Replace our live offer with a new amount; a larger one is concession drift (P20)."""
    require_write(actor)
    old = _offer(db, case, offer_id)
    if old.origin != "us":
        raise Conflict(f"Offer {old.id} is the client's counter; revise our offer, not theirs.")
    lifecycle.next_status("revise", old.status, offer_id=old.id)
    draft = drafts.draft_offer(
        db, actor=actor, case=case, solution_id=old.solution_id, amount=amount, title=old.title, kind=old.kind
    )
    return _send(
        db, draft, actor=actor, case=case, note=note or old.note, accept_drift=accept_drift, parent=old
    )


def counter_offer(
    db: Session, *, actor: ActorLike | None, case: Case, offer_id: int, amount: float | None, note: str = ""
) -> Offer:
    """Record the client's counter as such: our offer is `countered`, their ask is its own row (P20)."""
    require_write(actor)
    ours = _offer(db, case, offer_id)
    if ours.origin != "us":
        raise Conflict(f"Offer {ours.id} is already the client's counter.")
    ours_next = lifecycle.next_status("counter", ours.status, offer_id=ours.id)
    if not ours.approved:
        raise Conflict(f"Offer {ours.id} is not approved yet, so the client has not seen it to counter.")
    ours.status = ours_next
    asked = drafts.custom_amount(ours.kind, amount)
    counter = Offer(
        case_id=case.id,
        client_id=case.client_id,
        parent_id=ours.id,
        origin="client",
        solution_id=ours.solution_id,
        custom=ours.custom,
        title=ours.title,
        kind=ours.kind,
        unit=ours.unit,
        currency=ours.currency,
        amount=asked,
        limit=ours.limit,
        term=ours.term,
        note=clean_text(note, field="Note", max_chars=5000),
        status="counter",
        proposed_by=None if actor is None else actor.id,
        created_at=now(),
    )
    db.add(counter)
    db.flush()
    data = {
        "offer_id": ours.id,
        "counter_id": counter.id,
        "amount": asked,
        "unit": ours.unit,
        "note": counter.note,
    }
    record_event(db, case=case, kind="offer_countered", actor=actor, data=data)
    return counter


def approve_offer(db: Session, *, actor: ActorLike | None, case: Case, offer_id: int) -> Offer:
    """An approver signs off an offer beyond its limits or a custom one (P19); others get Forbidden."""
    require_write(actor)
    offer = _offer(db, case, offer_id)
    roles = (
        limits.CUSTOM_APPROVERS
        if offer.custom
        else tuple(drafts.solution_of(db, case, offer.solution_id).approver_roles)
    )
    require_role(actor, roles, f"approve offers beyond the limit of {offer.limit:g} {offer.unit}".strip())
    if offer.approved:
        raise Conflict(f"Offer {offer.id} needs no approval: it is within the limit or already approved.")
    lifecycle.next_status("approve", offer.status, offer_id=offer.id)
    offer.approved_by = None if actor is None else actor.id
    db.flush()
    record_event(db, case=case, kind="offer_approved", actor=actor, data={"offer_id": offer.id})
    return offer


def _answer(db: Session, *, actor: ActorLike | None, case: Case, offer_id: int, verb: str) -> Offer:
    require_write(actor)
    offer = _offer(db, case, offer_id)
    status = lifecycle.next_status(verb, offer.status, offer_id=offer.id)
    if not offer.approved:
        raise Conflict(
            f"Offer {offer.id} is beyond its limit and not approved yet; an approver must sign it off."
        )
    offer.status = status
    offer.responded_at = now()
    data: dict[str, Any] = {"offer_id": offer.id, "amount": offer.amount, "unit": offer.unit}
    if status == "accepted":  # P24: what the concession cost, in money, at the client's figures today
        cost = limits.money_value(offer.kind, offer.amount, drafts.client_figures(db, case=case))
        offer.cost = Decimal(str(cost))
        data.update(cost=cost, currency=offer.currency or "EUR")
    db.flush()
    record_event(db, case=case, kind=f"offer_{status}", actor=actor, data=data)
    return offer


def accept_offer(db: Session, *, actor: ActorLike | None, case: Case, offer_id: int) -> Offer:
    """The client said yes: the offer stands (P13 step 6) and its cost is recorded (P24)."""
    return _answer(db, actor=actor, case=case, offer_id=offer_id, verb="accept")


def decline_offer(db: Session, *, actor: ActorLike | None, case: Case, offer_id: int) -> Offer:
    """The client said no."""
    return _answer(db, actor=actor, case=case, offer_id=offer_id, verb="decline")


def record_offer_response(
    db: Session, *, actor: ActorLike | None, case: Case, offer_id: int, accepted: bool
) -> Offer:
    """The client's yes or no in one call (for callers that hold a boolean)."""
    verb = "accept" if accepted else "decline"
    return _answer(db, actor=actor, case=case, offer_id=offer_id, verb=verb)


def withdraw_offer(
    db: Session, *, actor: ActorLike | None, case: Case, offer_id: int, reason: str = ""
) -> Offer:
    """Take back an offer the client has not accepted or declined."""
    require_write(actor)
    offer = _offer(db, case, offer_id)
    offer.status = lifecycle.next_status("withdraw", offer.status, offer_id=offer.id)
    db.flush()
    reason = clean_text(reason, field="Reason", max_chars=2000)
    record_event(
        db, case=case, kind="offer_withdrawn", actor=actor, data={"offer_id": offer.id, "reason": reason}
    )
    return offer


def expire_offers(db: Session) -> int:
    """The sweep: live offers past `expires_at` expire, each with a timeline event (idempotent)."""
    count = 0
    for offer in repository.due_to_expire(db, at=now()):
        case = db.get(Case, offer.case_id)
        if case is None:
            continue
        offer.status = lifecycle.next_status("expire", offer.status, offer_id=offer.id)
        db.flush()
        when = ensure_aware(offer.expires_at).isoformat() if offer.expires_at else ""
        record_event(
            db, case=case, kind="offer_expired", actor=None, data={"offer_id": offer.id, "expired_at": when}
        )
        count += 1
    return count


def end_relationship(
    db: Session, *, actor: ActorLike | None, client: Client, reason: str, done: list[str] | None = None
) -> Client:
    """P21: the owner ends a relationship by the contract: every checklist item done, the reason recorded.

    Every open case of the client records the ending with the reason and the termination terms.
    """
    require_role(actor, OWNER_ONLY, "end a client relationship")
    require_same_workspace(actor, client.workspace_id, "Client")
    if client.status == "ended":
        raise Conflict(f"The relationship with {client.name} has already ended.")
    unknown = sorted(set(done or []) - set(ending.CHECKLIST_IDS))
    if unknown:
        raise Invalid(
            f"Unknown checklist item(s): {', '.join(unknown)}. Items: {', '.join(ending.CHECKLIST_IDS)}."
        )
    missing = ending.missing_items(done or [])
    if missing:
        raise Invalid(f"End it by the contract first (P21). Still to do: {', '.join(missing)}.")
    clients.record_client_ended(db, actor=actor, client=client, reason=reason)
    flt = CaseFilter(statuses=OPEN_STATUSES, client_id=client.id)
    data = {
        "client": client.name,
        "reason": client.ended_reason,
        "terms": client.termination_terms,
        "checklist": list(ending.CHECKLIST_IDS),
    }
    for case in cases.list_cases(db, actor=actor, workspace_id=client.workspace_id, flt=flt, limit=500):
        record_event(db, case=case, kind="relationship_ended", actor=actor, data=data)
    return client
