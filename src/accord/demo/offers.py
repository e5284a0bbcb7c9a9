"""Demo offers (P19-P21): accepted and open offers, a haggling case with drift, an expired offer, an ended
relationship whose new message waits for an owner.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from accord.cases import service as cases
from accord.cases.models import Case
from accord.clients import service as clients
from accord.clock import frozen, now
from accord.intake import service as intake
from accord.offers import drafts, ending
from accord.offers import service as offers
from accord.users.models import User

AGREED = ("awaiting_confirmation", "resolved", "closed")
TALKING = ("in_conversation", "resolution_proposed")
HAGGLE = (
    "Thanks, but that's not enough for the trouble this caused. Can you do better? "
    "We want 40% off the next invoice, or at least meet us halfway."
)
HAGGLE_AGAIN = "Better, but what is the best you can do? Honestly we expect a full month free."
ENDED_CLIENT = {
    "name": "Redline Motors",
    "email_domains": ["redline-motors.example"],
    "monthly_value": 800,
    "hourly_rate": 70,
    "termination_terms": "Either side may end it with 30 days' written notice; files handed over at the end.",
}


def _offer(db: Session, *, actor: User, case: Case) -> bool:
    solutions = drafts.solutions_for(db, case=case)
    if not solutions:
        return False
    amount = solutions[0].limit or 1
    offers.propose_offer(
        db, actor=actor, case=case, solution_id=solutions[0].id, amount=amount, note="Demo offer"
    )
    return True


def _haggle(db: Session, *, actor: User, case: Case) -> None:
    """P20: the client bargains, counters, we drift upwards once (recorded), they ask again (repeated)."""
    first = offers.list_offers(db, actor=actor, case=case)[-1]
    intake.add_inbound_message(db, actor=None, case=case, body=HAGGLE, subject=f"Re: {case.title}")
    offers.counter_offer(db, actor=actor, case=case, offer_id=first.id, amount=40, note="Asked on the phone")
    offers.revise_offer(
        db,
        actor=actor,
        case=case,
        offer_id=first.id,
        amount=first.amount + 5,
        accept_drift=True,
        note="Raised after the call (concession drift)",
    )
    intake.add_inbound_message(db, actor=None, case=case, body=HAGGLE_AGAIN, subject=f"Re: {case.title}")


def _expired(db: Session, *, actor: User, case: Case) -> None:
    """P19: an offer made three weeks ago that the client never answered expires on its date."""
    solution = drafts.solutions_for(db, case=case)[0]
    with frozen(now() - timedelta(days=21)):
        offers.propose_offer(
            db,
            actor=actor,
            case=case,
            solution_id=solution.id,
            amount=solution.limit or 1,
            note="Sent before the holidays; no answer",
        )
    offers.expire_offers(db)


def _ended(db: Session, *, actor: User, workspace_id: int) -> None:
    """P21: a toxic client, ended by the contract; their next message is kept as a held case."""
    client = clients.add_client(db, actor=actor, workspace_id=workspace_id, **ENDED_CLIENT)  # type: ignore[arg-type]
    case, _ = intake.open_case_from_message(
        db,
        actor=actor,
        client=client,
        title="Threats to the workshop staff",
        category="conduct",
        severity=3,
        body="You people are useless. Fix it today or I'll make sure everyone in town hears about you.",
        sender="owner@redline-motors.example",
    )
    clients.mark_client_toxic(db, actor=actor, client=client)
    reason = "Repeated abuse of the team and unpaid invoices; ended by the contract."
    offers.end_relationship(db, actor=actor, client=client, reason=reason, done=list(ending.CHECKLIST_IDS))
    cases.move_case(db, actor=actor, case=case, status="on_hold", note="Relationship ended (P21)")
    intake.open_case_from_message(
        db,
        actor=None,
        client=client,
        title="Where are our files?",
        body="We still need the service records.",
        sender="owner@redline-motors.example",
    )


def add_demo_offers(db: Session, *, actor: User, workspace_id: int) -> None:
    """Agreed cases get an accepted offer; open talks a proposed one: one haggles, one has expired."""
    haggled = expired = False
    for case in cases.list_cases(db, actor=actor, workspace_id=workspace_id, limit=500):
        if case.status in TALKING and not expired and drafts.solutions_for(db, case=case):
            _expired(db, actor=actor, case=case)
            expired = True
            continue
        if case.status not in AGREED + TALKING or not _offer(db, actor=actor, case=case):
            continue
        offer = offers.list_offers(db, actor=actor, case=case)[-1]
        if case.status in AGREED:
            offers.accept_offer(db, actor=actor, case=case, offer_id=offer.id)
        elif not haggled and offer.kind == "credit_percent":
            _haggle(db, actor=actor, case=case)
            haggled = True
    _ended(db, actor=actor, workspace_id=workspace_id)
