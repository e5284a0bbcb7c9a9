"""Demo offers: a few cases carry pre-approved offers, one with a client who haggles (P19, P20)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from accord.cases import service as cases
from accord.cases.models import Case
from accord.intake import service as intake
from accord.offers import drafts
from accord.offers import service as offers
from accord.users.models import User

AGREED = ("awaiting_confirmation", "resolved", "closed")
TALKING = ("in_conversation", "resolution_proposed")
HAGGLE = (
    "Thanks, but that's not enough for the trouble this caused. Can you do better? "
    "We want 40% off the next invoice, or at least meet us halfway."
)


def _offer(db: Session, *, actor: User, case: Case) -> bool:
    solutions = drafts.solutions_for(db, case=case)
    if not solutions:
        return False
    offers.propose_offer(
        db,
        actor=actor,
        case=case,
        solution_id=solutions[0].id,
        amount=solutions[0].limit or 1,
        note="Demo offer",
    )
    return True


def add_demo_offers(db: Session, *, actor: User, workspace_id: int) -> None:
    """Agreed cases get an accepted offer; open talks get a proposed one, the first with a haggling reply."""
    haggled = False
    for case in cases.list_cases(db, actor=actor, workspace_id=workspace_id, limit=500):
        if case.status not in AGREED + TALKING or not _offer(db, actor=actor, case=case):
            continue
        offer = offers.list_offers(db, actor=actor, case=case)[-1]
        if case.status in AGREED:
            offers.record_offer_response(db, actor=actor, case=case, offer_id=offer.id, accepted=True)
        elif not haggled and offer.kind == "credit_percent":
            intake.add_inbound_message(db, actor=None, case=case, body=HAGGLE, subject=f"Re: {case.title}")
            haggled = True
