"""Offer verbs on SQLite and PostgreSQL: limits and approvers (P19), haggling (P20), ending (P21)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from accord.cases import service as cases
from accord.cases.models import Case
from accord.clock import frozen
from accord.errors import Conflict, Forbidden, NotFound
from accord.intake import service as intake
from accord.offers import service as offers
from tests.helpers import create_agent, create_case, create_client, create_owner, create_workspace

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _kinds(db: Session, case: Case) -> list[str]:
    return [e.kind for e in cases.list_events(db, actor=None, case=case)]


def test_solutions_come_from_the_playbook_for_the_case_category(db: Session) -> None:
    ws = create_workspace(db)
    case = create_case(db, create_client(db, ws), category="billing")
    assert [s.id for s in offers.solutions_for(db, case=case)] == ["billing_credit", "billing_refund"]


def test_offer_within_the_limit_needs_no_approval_and_is_on_the_timeline(db: Session) -> None:
    ws = create_workspace(db)
    agent = create_agent(db, ws)
    case = create_case(db, create_client(db, ws), agent, category="billing")
    offer = offers.propose_offer(db, actor=agent, case=case, solution_id="billing_credit", amount=10)
    assert (offer.status, offer.needs_approval, offer.approved) == ("proposed", False, True)
    assert _kinds(db, case)[-1] == "offer_proposed"
    assert offers.current_offer_text(db, case=case) == "Account credit of 10 %"


def test_agent_beyond_the_limit_waits_for_the_owner(db: Session) -> None:
    ws = create_workspace(db)
    agent, owner = create_agent(db, ws), create_owner(db, ws)
    case = create_case(db, create_client(db, ws), agent, category="billing")
    offer = offers.propose_offer(db, actor=agent, case=case, solution_id="billing_credit", amount=30)
    assert offer.needs_approval and not offer.approved
    with pytest.raises(Conflict, match="not approved yet"):
        offers.record_offer_response(db, actor=agent, case=case, offer_id=offer.id, accepted=True)
    with pytest.raises(Forbidden, match="Only owner may approve offers beyond the limit of 15"):
        offers.approve_offer(db, actor=agent, case=case, offer_id=offer.id)
    offers.approve_offer(db, actor=owner, case=case, offer_id=offer.id)
    assert offer.approved_by == owner.id
    assert _kinds(db, case)[-2:] == ["offer_proposed", "offer_approved"]


def test_owner_beyond_the_limit_is_approved_at_once(db: Session) -> None:
    ws = create_workspace(db)
    owner = create_owner(db, ws)
    case = create_case(db, create_client(db, ws), owner, category="billing")
    offer = offers.propose_offer(db, actor=owner, case=case, solution_id="billing_credit", amount=30)
    assert offer.needs_approval and offer.approved_by == owner.id


def test_new_offer_supersedes_the_open_one_and_answer_is_final(db: Session) -> None:
    ws = create_workspace(db)
    agent = create_agent(db, ws)
    case = create_case(db, create_client(db, ws), agent, category="delay")
    first = offers.propose_offer(db, actor=agent, case=case, solution_id="delay_credit")
    second = offers.propose_offer(db, actor=agent, case=case, solution_id="delay_expedite")
    assert (first.status, first.amount) == ("superseded", 10)
    offers.record_offer_response(db, actor=agent, case=case, offer_id=second.id, accepted=True)
    assert second.status == "accepted"
    with pytest.raises(Conflict, match="is accepted"):
        offers.record_offer_response(db, actor=agent, case=case, offer_id=second.id, accepted=False)


def test_unknown_solution_names_the_ones_that_exist(db: Session) -> None:
    ws = create_workspace(db)
    case = create_case(db, create_client(db, ws), category="billing")
    with pytest.raises(NotFound, match="billing_credit, billing_refund"):
        offers.propose_offer(db, actor=None, case=case, solution_id="free_pony")


def test_haggling_after_the_offer_is_flagged_with_terms_and_repeat(db: Session) -> None:
    ws = create_workspace(db)
    agent = create_agent(db, ws)
    client = create_client(db, ws)
    with frozen(T0) as clock:
        case = create_case(db, client, agent, category="billing")
        intake.add_inbound_message(db, actor=None, case=case, body="We want 50% off, this is a disgrace.")
        clock.advance(timedelta(hours=1))
        offers.propose_offer(db, actor=agent, case=case, solution_id="billing_credit")
        clock.advance(timedelta(hours=1))
        intake.add_inbound_message(db, actor=None, case=case, body="That's not enough. Can you do better?")
        clock.advance(timedelta(hours=1))
        intake.add_inbound_message(db, actor=None, case=case, body="Meet us halfway or we walk.")
    warnings = offers.detect_haggling(db, case=case)
    assert [[s.kind for s in w.signals] for w in warnings] == [
        ["rejects_as_too_little", "asks_for_more"],
        ["meet_halfway"],
    ]
    assert [w.repeated for w in warnings] == [False, True]
    assert "60 days' written notice." in warnings[1].advice[-1]


def test_no_offer_means_no_haggling_warning(db: Session) -> None:
    ws = create_workspace(db)
    case = create_case(db, create_client(db, ws))
    intake.add_inbound_message(db, actor=None, case=case, body="Can you do better?")
    assert offers.detect_haggling(db, case=case) == []


def test_only_the_owner_may_end_a_relationship_and_open_cases_record_it(db: Session) -> None:
    ws = create_workspace(db)
    agent, owner = create_agent(db, ws), create_owner(db, ws)
    client = create_client(db, ws)
    case = create_case(db, client, agent)
    with pytest.raises(Forbidden, match="Only owner may end a client relationship"):
        offers.end_relationship(db, actor=agent, client=client, reason="Abusive calls")
    offers.end_relationship(db, actor=owner, client=client, reason="Abusive calls to the team")
    assert client.status == "ended"
    ended = [e for e in cases.list_events(db, actor=None, case=case) if e.kind == "relationship_ended"]
    assert ended[0].data["reason"] == "Abusive calls to the team"
    with pytest.raises(Conflict, match="already ended"):
        offers.end_relationship(db, actor=owner, client=client, reason="again")


def test_coach_firm_draft_restates_the_offer_the_client_has(db: Session) -> None:
    from accord.coach import service as coach

    ws = create_workspace(db)
    agent = create_agent(db, ws)
    case = create_case(db, create_client(db, ws), agent, category="billing")
    offers.propose_offer(db, actor=agent, case=case, solution_id="billing_credit", amount=12)
    assert "Account credit of 12 %" in coach.draft_reply(db, case=case, purpose="firm")
