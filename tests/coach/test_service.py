"""Sending through the coach (SQLite and PostgreSQL): blocks, overrides on the timeline, check summary."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from accord.cases import facts
from accord.cases import service as cases
from accord.cases.models import Case
from accord.coach import service as coach
from accord.errors import Conflict, Forbidden
from accord.intake import service as intake
from accord.users.models import User
from tests.helpers import create_agent, create_case, create_client, create_viewer, create_workspace

GOOD_REPLY = (
    "Hi Dana, you told us the October retainer was charged twice on your card. I am sorry, and I can see "
    "how annoying that is. We will refund the duplicate payment by Thursday at 3 pm and email the receipt."
)
RUDE_REPLY = "As I already explained, please calm down. The refund will arrive by Friday."


def _case(db: Session) -> tuple[Case, User]:
    ws = create_workspace(db)
    agent = create_agent(db, ws)
    case = create_case(db, create_client(db, ws), agent)
    intake.add_inbound_message(
        db,
        actor=agent,
        case=case,
        body="Our October retainer was charged twice.",
        sender="carla@acme.example",
    )
    return case, agent


def _kinds(db: Session, case: Case) -> list[str]:
    return [e.kind for e in cases.list_events(db, actor=None, case=case)]


def test_clean_reply_is_sent_with_the_check_summary_on_its_event(db: Session) -> None:
    case, agent = _case(db)
    message = coach.send_reply(db, actor=agent, case=case, body=GOOD_REPLY)
    event = cases.list_events(db, actor=None, case=case)[-1]
    assert message.direction == "outbound"
    assert event.kind == "message_sent"
    assert event.data["reply_checked"]["block"] == 0 and event.data["reply_checked"]["score"] >= 80


def test_blocking_reply_is_refused_and_nothing_is_recorded(db: Session) -> None:
    case, agent = _case(db)
    before = _kinds(db, case)
    with pytest.raises(Conflict, match="calm down"):
        coach.send_reply(db, actor=agent, case=case, body=RUDE_REPLY)
    assert _kinds(db, case) == before


def test_override_sends_and_records_the_reason_and_findings(db: Session) -> None:
    case, agent = _case(db)
    coach.send_reply(
        db, actor=agent, case=case, body=RUDE_REPLY, override_reason="Client asked for blunt words"
    )
    events = cases.list_events(db, actor=None, case=case)
    override, sent = next(e for e in events if e.kind == "coach_override"), events[-1]
    assert override.kind == "coach_override" and sent.kind == "message_sent"
    assert override.data["reason"] == "Client asked for blunt words"
    assert [f["rule"] for f in override.data["findings"]] == ["condescension"]


def test_admission_during_legal_review_blocks_on_this_case(db: Session) -> None:
    case, agent = _case(db)
    facts.set_legal_review(db, actor=agent, case=case, state="in_progress")
    result = coach.check_case_reply(db, case=case, text="This was entirely our fault. " + GOOD_REPLY)
    assert ("legal_exposure", "block") in {(f.rule, f.severity) for f in result.findings}
    assert result.score < 80


def test_case_check_uses_the_clients_latest_message(db: Session) -> None:
    case, _ = _case(db)
    off_topic = (
        "Hi Dana, I am sorry for the trouble this caused you. "
        "We will update your website photos by Thursday at 3 pm and send you the preview."
    )
    rules = {f.rule for f in coach.check_case_reply(db, case=case, text=off_topic).findings}
    assert "missing_acknowledgement" in rules


def test_viewer_cannot_send(db: Session) -> None:
    case, _ = _case(db)
    viewer = create_viewer(db, create_workspace(db))
    with pytest.raises(Forbidden):
        coach.send_reply(db, actor=viewer, case=case, body=GOOD_REPLY)


def test_draft_greets_the_client_and_signs_with_the_spokesperson(db: Session) -> None:
    case, agent = _case(db)
    draft = coach.draft_reply(db, case=case, purpose="acknowledge")
    assert draft.startswith("Hi Acme Dental") or draft.startswith("Hi ")
    assert draft.rstrip().endswith(agent.name)
    assert "charged twice" in draft


def test_a_substantive_reply_waits_for_a_required_legal_review_but_a_holding_reply_goes(db: Session) -> None:
    """P11: with legal review required, offers and explanations wait until a person records the review."""
    case, agent = _case(db)
    facts.set_legal_review(db, actor=agent, case=case, state="required")
    with pytest.raises(Conflict, match="legal review") as refused:
        coach.send_reply(db, actor=agent, case=case, body=GOOD_REPLY, override_reason="client is waiting")
    assert refused.value.code == "legal_review_pending" and "message_sent" not in _kinds(db, case)
    holding = (
        "Hi Dana, thank you for telling us about the October retainer being charged twice. I am looking into "
        "it personally now, and you will hear from me by Thursday at 3 pm."
    )
    assert coach.send_reply(db, actor=agent, case=case, body=holding).direction == "outbound"
    facts.set_legal_review(db, actor=agent, case=case, state="done")
    assert coach.send_reply(db, actor=agent, case=case, body=GOOD_REPLY).direction == "outbound"
