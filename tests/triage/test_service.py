"""Stored triage: one result per message, the proposal on a new case, a person's override wins (P4, P5)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from accord.cases import facts
from accord.cases.models import Case, CaseEvent
from accord.intake import service as intake
from accord.triage import service as triage_service
from accord.triage.models import TriageResult
from tests.helpers import create_agent, create_case, create_client, create_workspace

THREAT = (
    "Our website has been down since this morning and we are losing sales. This is the second outage "
    "this month. If it is not back by noon we will cancel our contract and speak to our lawyer."
)


def _kinds(db: Session, case: Case) -> list[str]:
    return list(db.scalars(select(CaseEvent.kind).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)))


def _case(db: Session) -> Case:
    ws = create_workspace(db)
    return create_case(db, create_client(db, ws), create_agent(db, ws), severity=2, category="other")


def test_first_message_is_stored_and_the_case_gets_the_proposal(db: Session) -> None:
    case = _case(db)
    message = intake.add_inbound_message(db, actor=None, case=case, body=THREAT)
    row = triage_service.triage_message(db, message_id=message.id)
    assert row.result["severity"] == 4 and row.model_version == row.result["model_version"]
    assert case.severity == 4 and case.category == "outage"
    kinds = _kinds(db, case)
    assert "triage_proposed" in kinds and "severity_changed" in kinds and "category_changed" in kinds
    proposal = db.scalar(select(CaseEvent).where(CaseEvent.kind == "triage_proposed"))
    assert proposal is not None and any("legal" in e for e in proposal.data["evidence"])


def test_triaging_twice_returns_the_same_row(db: Session) -> None:
    case = _case(db)
    message = intake.add_inbound_message(db, actor=None, case=case, body=THREAT)
    first = triage_service.triage_message(db, message_id=message.id)
    again = triage_service.triage_message(db, message_id=message.id)
    assert first.id == again.id
    assert _kinds(db, case).count("triage_proposed") == 1


def test_a_persons_severity_is_not_overwritten(db: Session) -> None:
    ws = create_workspace(db)
    agent = create_agent(db, ws)
    case = create_case(db, create_client(db, ws), agent, severity=2, category="other")
    facts.set_severity(db, actor=agent, case=case, severity=1, reason="known glitch, fixed already")
    message = intake.add_inbound_message(db, actor=None, case=case, body=THREAT)
    triage_service.triage_message(db, message_id=message.id)
    assert case.severity == 1  # the person decided; triage only proposes
    assert case.category == "outage"
    assert "triage_proposed" in _kinds(db, case)


def test_pending_sweep_triages_only_untriaged_inbound_messages(db: Session) -> None:
    case = _case(db)
    intake.add_inbound_message(db, actor=None, case=case, body=THREAT)
    intake.add_inbound_message(db, actor=None, case=case, body="Any news? Still nothing from you.")
    assert triage_service.triage_pending(db, limit=10) == 2
    assert triage_service.triage_pending(db, limit=10) == 0
    count = db.scalar(select(func.count()).select_from(TriageResult).where(TriageResult.case_id == case.id))
    assert count == 2
    assert _kinds(db, case).count("triage_proposed") == 1  # only the message that opened the case proposes


def test_result_is_none_before_triage(db: Session) -> None:
    case = _case(db)
    message = intake.add_inbound_message(db, actor=None, case=case, body="Hello")
    assert triage_service.get_result(db, message_id=message.id) is None
