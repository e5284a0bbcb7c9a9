"""The coach guards the send (issue 20, P5, P17): warnings on a severity 3-4 case ask once for a second
look, a blocking finding needs a reason on the timeline, and the score is kept with the sent message."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from accord.cases.models import Case
from accord.coach import service as coach
from accord.intake import service as intake
from accord.users.models import User
from tests.helpers import create_agent, create_case, create_client, create_workspace, event_kinds

HEDGED = (
    "Hi Carla, apparently there may have been some issues with the billing, which were perhaps not ideal. "
    "We will look into it at some point."
)
RUDE = "As I already explained, please calm down. The refund will arrive by Friday."


def _case(db: Session, severity: int) -> tuple[Case, User]:
    ws = create_workspace(db)
    agent = create_agent(db, ws)
    case = create_case(db, create_client(db, ws), agent, severity=severity)
    intake.add_inbound_message(
        db,
        actor=None,
        case=case,
        body="You charged us twice. Our lawyer will hear of it.",
        sender="c@acme.example",
    )
    return case, agent


def test_warnings_on_a_serious_case_ask_once_then_send_with_the_score(db: Session) -> None:
    case, agent = _case(db, severity=4)
    check = coach.check_case_reply(db, case=case, text=HEDGED)
    assert any(f.severity == "warn" for f in check.findings) and not any(
        f.severity == "block" for f in check.findings
    )
    before = event_kinds(db, case)
    with pytest.raises(coach.NeedsConfirmation) as asked:
        coach.send_reply(db, actor=agent, case=case, body=HEDGED, confirmed=False)
    assert asked.value.detail["score"] == check.score and event_kinds(db, case) == before  # nothing sent
    message = coach.send_reply(db, actor=agent, case=case, body=HEDGED, confirmed=True)
    assert message.coach_score == check.score < 80


def test_the_same_reply_on_a_calm_case_goes_at_once(db: Session) -> None:
    case, agent = _case(db, severity=2)
    message = coach.send_reply(db, actor=agent, case=case, body=HEDGED, confirmed=False)
    assert message.direction == "outbound" and message.coach_score is not None


def test_a_blocked_reply_needs_a_reason_which_goes_on_the_timeline(db: Session) -> None:
    case, agent = _case(db, severity=3)
    with pytest.raises(coach.ReplyBlocked):
        coach.send_reply(db, actor=agent, case=case, body=RUDE, confirmed=True)
    message = coach.send_reply(
        db, actor=agent, case=case, body=RUDE, override_reason="They asked us to be blunt", confirmed=True
    )
    assert "coach_override" in event_kinds(db, case) and message.coach_score is not None
