"""The way out (P20, P21): shown for compete or a toxic client; ending by the contract; ended clients."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from accord.cases import facts
from accord.cases import service as cases
from accord.cases.schemas import FactsIn
from accord.clients import service as clients
from accord.coach import advice
from accord.errors import Conflict, Forbidden, Invalid
from accord.intake import service as intake
from accord.offers import ending, firmness
from accord.offers import service as offers
from tests.helpers import create_agent, create_case, create_client, create_owner, create_workspace

ALL_DONE = list(ending.CHECKLIST_IDS)


@pytest.mark.parametrize(
    ("approach", "toxic", "status", "shown"),
    [
        ("compete", False, "active", True),
        (None, True, "active", True),
        ("collaborate", False, "ended", True),
        ("collaborate", False, "active", False),
        ("compromise", False, "at_risk", False),
    ],
)
def test_when_the_way_out_shows(approach: str | None, toxic: bool, status: str, shown: bool) -> None:
    plan = ending.exit_plan(approach=approach, toxic=toxic, client_status=status, termination_terms="30 days")
    assert plan.show is shown
    assert [i for i, _ in plan.checklist] == [
        "notice", "final_invoice", "files", "access", "last_message_drafted", "last_message_coached"
    ]  # fmt: skip


def test_compete_shows_the_terms_and_the_advisor_stops_recommending_collaboration(db: Session) -> None:
    ws = create_workspace(db)
    owner = create_owner(db, ws)
    case = create_case(db, create_client(db, ws), owner)
    change = FactsIn(approach="compete", approach_reason="They will not pay.")
    facts.update_facts(db, actor=owner, case=case, change=change)
    plan = firmness.case_exit(db, case=case)
    assert plan.show and "60 days' written notice." in plan.termination_terms
    approach = advice.advise_case(db, case=case).get("approach")
    assert approach.recommendation == "compete"
    assert any("termination terms: 60 days' written notice." in r for r in approach.reasons)
    assert any("Exit checklist" in r for r in approach.reasons)


def test_a_toxic_client_shows_the_way_out_on_every_case(db: Session) -> None:
    ws = create_workspace(db)
    owner, agent = create_owner(db, ws), create_agent(db, ws)
    client = create_client(db, ws)
    case = create_case(db, client, agent)
    with pytest.raises(Forbidden):
        clients.mark_client_toxic(db, actor=agent, client=client)
    clients.mark_client_toxic(db, actor=owner, client=client)
    assert firmness.case_exit(db, case=case).show
    assert advice.advise_case(db, case=case).get("approach").recommendation == "compete"


def test_ending_needs_the_owner_and_every_checklist_item(db: Session) -> None:
    ws = create_workspace(db)
    agent, owner = create_agent(db, ws), create_owner(db, ws)
    client = create_client(db, ws)
    case = create_case(db, client, agent)
    with pytest.raises(Forbidden, match="Only owner may end a client relationship"):
        offers.end_relationship(db, actor=agent, client=client, reason="Abusive calls", done=ALL_DONE)
    with pytest.raises(
        Invalid, match="Still to do: files, access, last_message_drafted, last_message_coached"
    ):
        offers.end_relationship(
            db, actor=owner, client=client, reason="Abusive", done=["notice", "final_invoice"]
        )
    assert client.status == "active"
    offers.end_relationship(db, actor=owner, client=client, reason="Abusive calls to the team", done=ALL_DONE)
    assert (client.status, client.ended_reason) == ("ended", "Abusive calls to the team")
    ended = [e for e in cases.list_events(db, actor=None, case=case) if e.kind == "relationship_ended"]
    assert ended[0].data["reason"] == "Abusive calls to the team"
    with pytest.raises(Conflict, match="already ended"):
        offers.end_relationship(db, actor=owner, client=client, reason="again", done=ALL_DONE)


def test_an_ended_clients_new_message_becomes_a_held_case_only_an_owner_reopens(db: Session) -> None:
    ws = create_workspace(db)
    agent, owner = create_agent(db, ws), create_owner(db, ws)
    client = create_client(db, ws)
    offers.end_relationship(db, actor=owner, client=client, reason="Unpaid for six months", done=ALL_DONE)
    case, message = intake.open_case_from_message(
        db, actor=None, client=client, title="One more thing", body="We still want the files."
    )
    assert message.case_id == case.id  # P3: nothing lost
    assert case.status == "on_hold"
    held = [e for e in cases.list_events(db, actor=None, case=case) if e.data.get("client_ended")]
    assert held[0].data["to"] == "on_hold"
    with pytest.raises(Forbidden, match="whose relationship has ended"):
        cases.move_case(db, actor=agent, case=case, status="preparing")
    cases.move_case(db, actor=owner, case=case, status="preparing")
    assert case.status == "preparing"
