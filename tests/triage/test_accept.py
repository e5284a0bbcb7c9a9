"""Triage proposes, a person decides: Accept records the decision and later triage changes nothing
(issue 20, P4, P5)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from accord.cases import facts
from accord.cases.models import Case
from accord.intake import service as intake
from accord.triage import service as triage
from tests.helpers import create_agent, create_case, create_client, create_workspace, event_kinds

THREAT = (
    "Our website has been down since this morning and we are losing sales. This is the second outage "
    "this month. If it is not back by noon we will cancel our contract and speak to our lawyer."
)
MILD = "Small thing: the footer still shows last year's opening hours. No rush."


def _say(db: Session, case: Case, text: str) -> None:
    message = intake.add_inbound_message(db, actor=None, case=case, body=text)
    triage.triage_message(db, message_id=message.id)


def _case(db: Session) -> tuple[Case, object]:
    ws = create_workspace(db)
    agent = create_agent(db, ws)
    return create_case(db, create_client(db, ws), agent, severity=None, category=None), agent


def test_the_proposal_shows_its_evidence_until_a_person_accepts_it(db: Session) -> None:
    case, agent = _case(db)
    _say(db, case, MILD)
    proposal = triage.latest_proposal(db, case=case)
    assert proposal is not None and proposal.open
    assert proposal.severity == case.severity and proposal.model_version
    accepted = triage.accept_proposal(db, actor=agent, case=case)
    assert not accepted.open and {"severity", "category"} <= accepted.decided
    assert event_kinds(db, case)[-1] == "triage_accepted"  # on the timeline


def test_after_accept_a_worse_message_proposes_but_does_not_overwrite(db: Session) -> None:
    """P4: the person's accepted severity stays; the new proposal is shown, not applied."""
    case, agent = _case(db)
    _say(db, case, MILD)
    triage.accept_proposal(db, actor=agent, case=case)
    kept = (case.severity, case.category)
    _say(db, case, THREAT)
    assert (case.severity, case.category) == kept
    newest = triage.latest_proposal(db, case=case)
    assert newest is not None and newest.severity == 4 and not newest.open


def test_accept_takes_the_proposal_back_after_a_persons_change(db: Session) -> None:
    """A person moved the severity; Accept puts triage's proposal back, with the reason recorded."""
    case, agent = _case(db)
    _say(db, case, THREAT)
    facts.set_severity(db, actor=agent, case=case, severity=2, reason="Looks smaller to me")
    triage.accept_proposal(db, actor=agent, case=case)
    assert case.severity == 4
    kinds = event_kinds(db, case)
    assert kinds[-1] == "triage_accepted" and kinds.count("severity_changed") >= 2
