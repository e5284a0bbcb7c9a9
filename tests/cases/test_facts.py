"""Setting and correcting a case's facts (P4, P8, P11, P14, P18): one event per changed fact, nothing
written when any part is refused, the playbook's categories, and the reason for overriding triage."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from accord.cases import facts
from accord.cases import service as cases
from accord.cases.schemas import FactsIn
from accord.errors import Forbidden, Invalid
from accord.playbook import service as playbook
from tests.helpers import (
    create_agent,
    create_case,
    create_client,
    create_owner,
    create_viewer,
    create_workspace,
    event_kinds,
)


def test_only_the_facts_that_differ_become_events(db: Session) -> None:
    ws = create_workspace(db)
    agent = create_agent(db, ws)
    case = create_case(db, create_client(db, ws), agent, severity=2, category="billing")
    before = len(event_kinds(db, case))
    change = FactsIn(
        severity=2,
        category="delay",
        fault="ours",
        legal_review="not_needed",
        client_view="  ",
        our_view="The gateway retried the charge",
        requested_remedy="",
    )
    changed = facts.update_facts(db, actor=agent, case=case, change=change)
    assert changed == ["category", "fault", "views"]
    new = cases.list_events(db, actor=None, case=case)[before:]
    assert [e.kind for e in new if e.kind != "steps_instantiated"] == [
        "category_changed",
        "fault_changed",
        "views_recorded",
    ]
    assert new[0].data == {"from": "billing", "to": "delay"}
    assert (case.category, case.fault, case.our_view) == ("delay", "ours", "The gateway retried the charge")
    assert case.severity == 2 and case.client_view == ""


def test_overriding_the_severity_needs_a_reason_and_a_refusal_writes_nothing(db: Session) -> None:
    ws = create_workspace(db)
    agent = create_agent(db, ws)
    case = create_case(db, create_client(db, ws), agent, severity=2, category="billing")
    before = event_kinds(db, case)
    with pytest.raises(Invalid, match="Say why the severity changes from 2 to 4"):
        facts.update_facts(db, actor=agent, case=case, change=FactsIn(severity=4, category="delay"))
    assert (case.severity, case.category) == (2, "billing")
    assert event_kinds(db, case) == before  # P4: all or nothing
    lawyer = FactsIn(severity=4, severity_reason="They cc'd a lawyer")
    facts.update_facts(db, actor=agent, case=case, change=lawyer)
    last = [e for e in cases.list_events(db, actor=None, case=case) if e.kind == "severity_changed"][-1]
    assert last.data == {"from": 2, "to": 4, "reason": "They cc'd a lawyer"}
    assert last.actor_label == agent.name


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (FactsIn(category="marketing"), "Unknown category 'marketing'"),
        (FactsIn(fault="theirs"), "Unknown fault 'theirs'"),
        (FactsIn(legal_review="maybe"), "Unknown legal review state 'maybe'"),
        (FactsIn(approach="collaborate"), "Reason for the approach"),  # P18: the approach has its reason
        (FactsIn(severity=2, fault="unknown"), "Nothing changed"),
    ],
)
def test_bad_facts_are_refused_with_a_clear_message(db: Session, change: FactsIn, message: str) -> None:
    ws = create_workspace(db)
    case = create_case(db, create_client(db, ws), severity=2)
    before = event_kinds(db, case)
    with pytest.raises(Invalid, match=message):
        facts.update_facts(db, actor=None, case=case, change=change)
    assert event_kinds(db, case) == before


def test_a_blank_choice_leaves_the_fact_as_it_is(db: Session) -> None:
    ws = create_workspace(db)
    case = create_case(db, create_client(db, ws))
    change = FactsIn.model_validate({"approach": "", "category": " ", "our_view": "We shipped late"})
    assert facts.update_facts(db, actor=None, case=case, change=change) == ["views"]
    assert case.approach is None and case.category == "billing"


def test_categories_come_from_the_workspace_playbook(db: Session) -> None:
    ws = create_workspace(db)
    owner = create_owner(db, ws)
    playbook.install_playbook(
        db,
        actor=owner,
        workspace_id=ws.id,
        source="extends: default\nversion: acme-3\ncategories: [billing, delay, quality, communication,"
        " scope, conduct, outage, hosting, other]\n",
    )
    case = create_case(db, create_client(db, ws), owner)
    facts.update_facts(db, actor=owner, case=case, change=FactsIn(category="hosting"))
    assert case.category == "hosting"
    with pytest.raises(Invalid, match=r"Choose one of: .*outage, hosting, other"):
        facts.update_facts(db, actor=owner, case=case, change=FactsIn(category="marketing"))


def test_approach_and_its_reason_can_be_revised(db: Session) -> None:
    ws = create_workspace(db)
    case = create_case(db, create_client(db, ws))
    first = FactsIn(approach="compromise", approach_reason="Both slipped")
    facts.update_facts(db, actor=None, case=case, change=first)
    revised = FactsIn(approach="compromise", approach_reason="Both slipped; key client")
    changed = facts.update_facts(db, actor=None, case=case, change=revised)
    assert changed == ["approach"] and case.approach_reason == "Both slipped; key client"


def test_a_viewer_cannot_change_facts(db: Session) -> None:
    ws = create_workspace(db)
    case = create_case(db, create_client(db, ws))
    with pytest.raises(Forbidden):
        facts.update_facts(db, actor=create_viewer(db, ws), case=case, change=FactsIn(fault="ours"))
    assert case.fault == "unknown"


def test_emptying_the_impact_assessment_is_refused_before_any_other_fact_is_written(db: Session) -> None:
    ws = create_workspace(db)
    case = create_case(db, create_client(db, ws))
    facts.update_facts(db, actor=None, case=case, change=FactsIn(impact_assessment="May churn; 3k/month"))
    before = event_kinds(db, case)
    with pytest.raises(Invalid, match="Impact assessment"):
        facts.update_facts(db, actor=None, case=case, change=FactsIn(fault="ours", impact_assessment=" "))
    assert (case.fault, case.impact_assessment) == ("unknown", "May churn; 3k/month")
    assert event_kinds(db, case) == before
