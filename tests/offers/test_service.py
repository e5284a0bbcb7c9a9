"""Offer verbs on SQLite and PostgreSQL: limits and approvers (P19), drift and haggling (P20), costs (P24)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from accord.cases import service as cases
from accord.cases.models import Case
from accord.clock import frozen
from accord.errors import Conflict, Forbidden, Invalid, NotFound
from accord.intake import service as intake
from accord.offers import drafts, firmness
from accord.offers import service as offers
from tests.helpers import (
    create_agent,
    create_case,
    create_client,
    create_owner,
    create_user,
    create_workspace,
)

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _kinds(db: Session, case: Case) -> list[str]:
    return [e.kind for e in cases.list_events(db, actor=None, case=case)]


def test_solutions_come_from_the_playbook_for_the_case_category(db: Session) -> None:
    ws = create_workspace(db)
    case = create_case(db, create_client(db, ws), category="billing")
    assert [s.id for s in drafts.solutions_for(db, case=case)] == ["billing_credit", "billing_refund"]


def test_offer_within_the_limit_needs_no_approval_and_is_on_the_timeline(db: Session) -> None:
    ws = create_workspace(db)
    agent = create_agent(db, ws)
    case = create_case(db, create_client(db, ws), agent, category="billing")
    offer = offers.propose_offer(db, actor=agent, case=case, solution_id="billing_credit", amount=10)
    assert (offer.status, offer.needs_approval, offer.approved, offer.unit) == ("proposed", False, True, "%")
    assert _kinds(db, case)[-1] == "offer_proposed"
    assert offers.current_offer_text(db, case=case) == "Account credit of 10 %"


def test_a_blank_amount_is_refused_with_the_limit_in_units(db: Session) -> None:
    ws = create_workspace(db)
    case = create_case(db, create_client(db, ws), category="billing")
    with pytest.raises(
        Invalid, match="Enter an amount in EUR for Refund of a wrong charge; the pre-approved limit"
    ):
        offers.propose_offer(db, actor=None, case=case, solution_id="billing_refund")
    assert offers.list_offers(db, actor=None, case=case) == []


def test_999_percent_is_refused_not_approved_beyond_the_limit(db: Session) -> None:
    ws = create_workspace(db)
    owner = create_owner(db, ws)
    case = create_case(db, create_client(db, ws), owner, category="billing")
    with pytest.raises(Invalid, match="999 % is over 100 %"):
        offers.propose_offer(db, actor=owner, case=case, solution_id="billing_credit", amount=999)
    assert offers.list_offers(db, actor=None, case=case) == []


def test_agent_beyond_the_limit_waits_for_the_owner(db: Session) -> None:
    ws = create_workspace(db)
    agent, owner = create_agent(db, ws), create_owner(db, ws)
    case = create_case(db, create_client(db, ws), agent, category="billing")
    offer = offers.propose_offer(db, actor=agent, case=case, solution_id="billing_credit", amount=30)
    assert offer.needs_approval and not offer.approved
    with pytest.raises(Conflict, match="not approved yet"):
        offers.accept_offer(db, actor=agent, case=case, offer_id=offer.id)
    with pytest.raises(Forbidden, match="Only owner may approve offers beyond the limit of 15 %"):
        offers.approve_offer(db, actor=agent, case=case, offer_id=offer.id)
    offers.approve_offer(db, actor=owner, case=case, offer_id=offer.id)
    assert offer.approved_by == owner.id
    assert _kinds(db, case)[-2:] == ["offer_proposed", "offer_approved"]


def test_yearly_cap_counts_what_the_client_accepted_on_other_cases(db: Session) -> None:
    ws = create_workspace(db)
    agent = create_agent(db, ws)
    client = create_client(db, ws)
    for _ in range(2):  # billing_credit: at most twice a year per client
        case = create_case(db, client, agent, category="billing")
        offer = offers.propose_offer(db, actor=agent, case=case, solution_id="billing_credit", amount=5)
        offers.accept_offer(db, actor=agent, case=case, offer_id=offer.id)
    third = create_case(db, client, agent, category="billing")
    offer = offers.propose_offer(db, actor=agent, case=third, solution_id="billing_credit", amount=5)
    assert offer.needs_approval and not offer.approved
    event = cases.list_events(db, actor=None, case=third)[-1]
    assert "already had Account credit 2 time(s)" in event.data["message"]


def test_custom_remedy_always_needs_an_owner(db: Session) -> None:
    ws = create_workspace(db)
    agent, owner = create_agent(db, ws), create_owner(db, ws)
    lead = create_user(db, ws, name="Lena Lead", role="lead")
    case = create_case(db, create_client(db, ws), agent, category="billing")
    offer = offers.propose_offer(
        db, actor=agent, case=case, solution_id="custom", title="Tickets to the expo"
    )
    assert offer.custom and offer.needs_approval and not offer.approved
    with pytest.raises(Forbidden, match="Only owner may approve"):
        offers.approve_offer(db, actor=lead, case=case, offer_id=offer.id)
    offers.approve_offer(db, actor=owner, case=case, offer_id=offer.id)
    assert offer.approved


def test_unknown_solution_names_the_ones_that_exist(db: Session) -> None:
    ws = create_workspace(db)
    case = create_case(db, create_client(db, ws), category="billing")
    with pytest.raises(NotFound, match="billing_credit, billing_refund"):
        offers.propose_offer(db, actor=None, case=case, solution_id="free_pony", amount=1)


def test_drift_10_then_25_then_30_is_refused_with_the_history_unless_confirmed(db: Session) -> None:
    ws = create_workspace(db)
    owner = create_owner(db, ws)
    case = create_case(db, create_client(db, ws), owner, category="billing")
    first = offers.propose_offer(db, actor=owner, case=case, solution_id="billing_credit", amount=10)
    with pytest.raises(Conflict, match=r"Offers so far: 10 % -> 25 %") as caught:
        offers.propose_offer(db, actor=owner, case=case, solution_id="billing_credit", amount=25)
    assert caught.value.code == "concession_drift"
    assert first.status == "proposed"  # nothing sent
    offers.propose_offer(
        db, actor=owner, case=case, solution_id="billing_credit", amount=25, accept_drift=True
    )
    with pytest.raises(Conflict, match=r"10 % -> 25 % -> 30 %"):
        offers.propose_offer(db, actor=owner, case=case, solution_id="billing_credit", amount=30)
    event = cases.list_events(db, actor=None, case=case)[-1]
    assert event.data["drift"]["history"] == [10]


@pytest.mark.parametrize("amount", [10, 8])
def test_the_same_or_a_smaller_offer_is_not_drift(db: Session, amount: float) -> None:
    ws = create_workspace(db)
    owner = create_owner(db, ws)
    case = create_case(db, create_client(db, ws), owner, category="billing")
    first = offers.propose_offer(db, actor=owner, case=case, solution_id="billing_credit", amount=10)
    second = offers.revise_offer(db, actor=owner, case=case, offer_id=first.id, amount=amount)
    assert (first.status, second.parent_id) == ("superseded", first.id)


def test_drift_compares_money_across_remedies(db: Session) -> None:
    ws = create_workspace(db)
    owner = create_owner(db, ws)
    case = create_case(db, create_client(db, ws), owner, category="billing")  # 3,000 a month
    offers.propose_offer(db, actor=owner, case=case, solution_id="billing_credit", amount=10)  # 300
    with pytest.raises(Conflict, match="Concession drift"):
        offers.propose_offer(db, actor=owner, case=case, solution_id="billing_refund", amount=400)
    offers.propose_offer(db, actor=owner, case=case, solution_id="billing_refund", amount=250)


def test_haggling_messages_and_counters_repeat(db: Session) -> None:
    ws = create_workspace(db)
    agent = create_agent(db, ws)
    with frozen(T0) as clock:
        case = create_case(db, create_client(db, ws), agent, category="billing")
        intake.add_inbound_message(db, actor=None, case=case, body="We want 50% off, this is a disgrace.")
        clock.advance(timedelta(hours=1))
        offer = offers.propose_offer(db, actor=agent, case=case, solution_id="billing_credit", amount=10)
        clock.advance(timedelta(hours=1))
        intake.add_inbound_message(db, actor=None, case=case, body="What is the best you can do?")
        clock.advance(timedelta(hours=1))
        intake.add_inbound_message(db, actor=None, case=case, body="Honestly, we expect a full month free.")
        offers.counter_offer(db, actor=agent, case=case, offer_id=offer.id, amount=40)
    found = firmness.case_firmness(db, case=case)
    assert [[s.kind for s in w.signals] for w in found.messages] == [["asks_for_more"], ["demands_free"]]
    assert [w.repeated for w in found.messages] == [False, True]
    assert [h.kind for h in found.history] == ["counter_after_offer"]
    assert found.repeated and found.count == 3
    assert "60 days' written notice." in found.termination_terms
    assert found.guidance[0].startswith("Remain firm")


def test_growing_client_demands_are_haggling(db: Session) -> None:
    ws = create_workspace(db)
    agent = create_agent(db, ws)
    case = create_case(db, create_client(db, ws), agent, category="billing")
    offer = offers.propose_offer(db, actor=agent, case=case, solution_id="billing_credit", amount=10)
    offers.counter_offer(db, actor=agent, case=case, offer_id=offer.id, amount=20)
    offers.counter_offer(db, actor=agent, case=case, offer_id=offer.id, amount=35)
    found = firmness.case_firmness(db, case=case)
    assert [h.kind for h in found.history] == ["counter_after_offer", "counter_after_offer", "growing_demand"]
    assert "asked for 35 % after asking for 20" in found.history[-1].text


def test_one_message_without_offers_is_not_haggling(db: Session) -> None:
    ws = create_workspace(db)
    case = create_case(db, create_client(db, ws))
    intake.add_inbound_message(db, actor=None, case=case, body="Can you do better?")
    found = firmness.case_firmness(db, case=case)
    assert (found.haggling, found.repeated, found.guidance) == (False, False, [])


def test_accepted_free_hours_cost_hours_times_the_rate(db: Session) -> None:
    ws = create_workspace(db)
    lead = create_user(db, ws, name="Lena Lead", role="lead")
    client = create_client(db, ws, hourly_rate=90)
    case = create_case(db, client, lead, category="quality")
    offer = offers.propose_offer(db, actor=lead, case=case, solution_id="quality_free_hours", amount=4)
    offers.accept_offer(db, actor=lead, case=case, offer_id=offer.id)
    assert float(offer.cost or 0) == 360.0
    assert cases.list_events(db, actor=None, case=case)[-1].data["cost"] == 360.0


def test_costs_by_case_client_category_and_month(db: Session) -> None:
    ws = create_workspace(db)
    owner = create_owner(db, ws)
    client = create_client(db, ws, name="Bluebird Dental", monthly_value=2000)
    with frozen(T0):
        one = create_case(db, client, owner, category="billing")
        offer = offers.propose_offer(db, actor=owner, case=one, solution_id="billing_credit", amount=10)
        offers.accept_offer(db, actor=owner, case=one, offer_id=offer.id)  # 200
    with frozen(T0 + timedelta(days=31)):
        two = create_case(db, client, owner, category="billing")
        offer = offers.propose_offer(db, actor=owner, case=two, solution_id="billing_refund", amount=150)
        offers.accept_offer(db, actor=owner, case=two, offer_id=offer.id)
        declined = offers.propose_offer(db, actor=owner, case=two, solution_id="billing_refund", amount=50)
        offers.decline_offer(db, actor=owner, case=two, offer_id=declined.id)  # costs nothing

    def by(group: str) -> list[tuple[str, int, float]]:
        rows = firmness.offer_costs(db, actor=owner, workspace_id=ws.id, by=group)
        return [(r.key, r.offers, r.total) for r in rows]

    assert by("client") == [("Bluebird Dental", 2, 350.0)]
    assert by("category") == [("billing", 2, 350.0)]
    assert by("month") == [("2026-03", 1, 200.0), ("2026-04", 1, 150.0)]
    assert by("case") == [(one.reference, 1, 200.0), (two.reference, 1, 150.0)]


def test_offers_expire_on_their_date_with_a_timeline_event(db: Session) -> None:
    ws = create_workspace(db)
    agent = create_agent(db, ws)
    with frozen(T0) as clock:
        case = create_case(db, create_client(db, ws), agent, category="billing")
        offer = offers.propose_offer(db, actor=agent, case=case, solution_id="billing_credit", amount=10)
        clock.advance(timedelta(days=13))
        assert offers.expire_offers(db) == 0
        clock.advance(timedelta(days=2))
        assert offers.expire_offers(db) == 1
        assert offers.expire_offers(db) == 0  # idempotent
    assert offer.status == "expired"
    assert _kinds(db, case)[-1] == "offer_expired"
    with pytest.raises(Conflict, match="is expired"):
        offers.accept_offer(db, actor=agent, case=case, offer_id=offer.id)


def test_the_client_cannot_counter_an_offer_still_waiting_for_approval(db: Session) -> None:
    ws = create_workspace(db)
    agent = create_agent(db, ws)
    case = create_case(db, create_client(db, ws), agent, category="billing")
    offer = offers.propose_offer(db, actor=agent, case=case, solution_id="billing_credit", amount=30)
    with pytest.raises(Conflict, match="not approved yet, so the client has not seen it"):
        offers.counter_offer(db, actor=agent, case=case, offer_id=offer.id, amount=40)
    assert offer.status == "proposed"
