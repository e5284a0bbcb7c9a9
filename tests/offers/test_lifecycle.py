"""P19, P20: every offer transition, allowed and refused, from the pure table and through the service."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from accord.cases import service as cases
from accord.errors import Conflict
from accord.offers import lifecycle
from accord.offers import service as offers
from accord.offers.models import Offer
from tests.helpers import create_agent, create_case, create_client, create_workspace

ALLOWED = {
    ("approve", "proposed"): "proposed",
    ("approve", "countered"): "countered",
    ("counter", "proposed"): "countered",
    ("counter", "countered"): "countered",
    ("revise", "proposed"): "superseded",
    ("revise", "countered"): "superseded",
    ("withdraw", "proposed"): "withdrawn",
    ("withdraw", "countered"): "withdrawn",
    ("accept", "proposed"): "accepted",
    ("accept", "countered"): "accepted",
    ("decline", "proposed"): "declined",
    ("decline", "countered"): "declined",
    ("expire", "proposed"): "expired",
    ("expire", "countered"): "expired",
}
PAIRS = [(verb, status) for verb in lifecycle.TRANSITIONS for status in lifecycle.STATUSES]


@pytest.mark.parametrize(("verb", "status"), PAIRS)
def test_every_verb_from_every_status(verb: str, status: str) -> None:
    if (verb, status) in ALLOWED:
        assert lifecycle.next_status(verb, status, offer_id=7) == ALLOWED[(verb, status)]
    else:
        with pytest.raises(Conflict, match=f"Offer 7 is {status}; it cannot be {lifecycle.PAST[verb]} now"):
            lifecycle.next_status(verb, status, offer_id=7)


def test_a_final_offer_says_nothing_more_can_be_done() -> None:
    with pytest.raises(Conflict, match="Allowed: nothing: it is final"):
        lifecycle.next_status("accept", "accepted", offer_id=1)


def _offer(db: Session, status: str) -> tuple[Offer, object]:
    ws = create_workspace(db)
    agent = create_agent(db, ws)
    case = create_case(db, create_client(db, ws), agent, category="billing")
    offer = offers.propose_offer(db, actor=agent, case=case, solution_id="billing_credit", amount=10)
    offer.status = status
    db.flush()
    return offer, (agent, case)


SERVICE_VERBS = {
    "accept": lambda db, a, c, o: offers.accept_offer(db, actor=a, case=c, offer_id=o),
    "decline": lambda db, a, c, o: offers.decline_offer(db, actor=a, case=c, offer_id=o),
    "withdraw": lambda db, a, c, o: offers.withdraw_offer(db, actor=a, case=c, offer_id=o),
    "counter": lambda db, a, c, o: offers.counter_offer(db, actor=a, case=c, offer_id=o, amount=25),
    "revise": lambda db, a, c, o: offers.revise_offer(db, actor=a, case=c, offer_id=o, amount=8),
}
EVENTS = {
    "accept": "offer_accepted",
    "decline": "offer_declined",
    "withdraw": "offer_withdrawn",
    "counter": "offer_countered",
    "revise": "offer_revised",
}


@pytest.mark.parametrize("verb", sorted(SERVICE_VERBS))
@pytest.mark.parametrize("status", ["proposed", "countered", "accepted", "declined", "withdrawn", "expired"])
def test_service_verbs_follow_the_table_and_record_the_timeline(db: Session, verb: str, status: str) -> None:
    offer, (agent, case) = _offer(db, status)
    before = len(cases.list_events(db, actor=None, case=case))
    if (verb, status) in ALLOWED:
        SERVICE_VERBS[verb](db, agent, case, offer.id)
        assert offer.status == ALLOWED[(verb, status)]
        assert cases.list_events(db, actor=None, case=case)[-1].kind == EVENTS[verb]
    else:
        with pytest.raises(Conflict, match=f"is {status}"):
            SERVICE_VERBS[verb](db, agent, case, offer.id)
        assert offer.status == status  # nothing changed, nothing recorded
        assert len(cases.list_events(db, actor=None, case=case)) == before
