"""Steps follow what happened: our reply ticks "Acknowledge quickly" (P6), the client's recorded yes ticks
"Get the client's confirmation" (P23), each with the event that did it (issue 20)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from accord.cadence import confirmation as confirm
from accord.cases import service as cases
from accord.cases import steps
from accord.cases.models import Case, CaseEvent
from accord.coach import service as coach
from accord.intake import service as intake
from accord.users.models import User
from tests.helpers import create_agent, create_case, create_client, create_workspace
from tests.playbook.helpers import complete_required_steps

ACK = (
    "Hi Carla, thank you for telling us the October retainer was charged twice. I am looking into it now "
    "and will write to you again by Thursday at 3 pm with what we found."
)


def _run(db: Session, case: Case, step_id: str) -> steps.StepRun:
    return next(r for r in steps.list_steps(db, actor=None, case=case) if r.step_id == step_id)


def _case(db: Session) -> tuple[Case, User]:
    ws = create_workspace(db)
    agent = create_agent(db, ws)
    case = create_case(db, create_client(db, ws), agent)
    intake.add_inbound_message(
        db, actor=None, case=case, body="Our October retainer was charged twice.", sender="carla@acme.example"
    )
    return case, agent


def test_sending_the_acknowledgement_ticks_its_step_with_the_mail_linked(db: Session) -> None:
    case, agent = _case(db)
    message = coach.send_reply(db, actor=agent, case=case, body=ACK)
    run = _run(db, case, "acknowledge_quickly")
    assert run.state == "done" and case.status == "acknowledged"
    sent = db.get(CaseEvent, run.done_by_event_id)
    assert sent is not None and sent.kind == "message_sent" and sent.data["message_id"] == message.id
    tick, last = cases.list_events(db, actor=None, case=case)[-2:]
    assert last.id == sent.id  # the mail stays the newest event; its tick sits just before it
    assert tick.kind == "step_completed" and tick.data["because"] == "message_sent" and tick.data["automatic"]


def test_the_clients_yes_on_a_call_ticks_the_confirmation_step(db: Session) -> None:
    case, agent = _case(db)
    complete_required_steps(db, case, agent)
    for status in ("acknowledged", "preparing", "in_conversation", "resolution_proposed"):
        cases.move_case(db, actor=agent, case=case, status=status)
    confirm.record_call_confirmation(db, actor=agent, case=case, note="Happy with the refund")
    run = _run(db, case, "client_confirms")
    resolved = db.get(CaseEvent, run.done_by_event_id)
    assert run.state == "done" and resolved is not None and resolved.data["to"] == "resolved"


def test_automatic_mail_acknowledges_nothing_and_a_finished_step_is_left_alone(db: Session) -> None:
    case, agent = _case(db)
    steps.complete_step(
        db, actor=agent, case=case, step_id="acknowledge_quickly", notes="Called them at once"
    )
    coach.send_reply(db, actor=agent, case=case, body=ACK)
    run = _run(db, case, "acknowledge_quickly")
    assert run.notes == "Called them at once" and run.done_by_event_id is None
    assert steps.step_for_event("message_sent", {"automatic": True}) is None
    steps.reopen_step(db, actor=agent, case=case, step_id="acknowledge_quickly")
    assert _run(db, case, "acknowledge_quickly").done_by_event_id is None
