"""Clocks and reminders on a real database, with the clock frozen (P6, P22)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.cadence import service as cadence
from accord.cadence.models import Reminder
from accord.cases import service as cases
from accord.clock import frozen
from accord.intake import service as intake
from accord.notify.models import OutboxMessage
from tests.cadence.helpers import walk_to
from tests.helpers import create_agent, create_case, create_client, create_owner, create_workspace

MON_10 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def _setup(db: Session, severity: int = 4):  # type: ignore[no-untyped-def]
    ws = create_workspace(db, "cadence")
    owner = create_owner(db, ws)
    agent = create_agent(db, ws)
    client = create_client(db, ws, default_spokesperson_id=agent.id)
    case = create_case(db, client, agent, severity=severity)
    return ws, owner, agent, case


def test_a_new_case_must_be_acknowledged_within_its_target(db: Session) -> None:
    with frozen(MON_10):
        _ws, _o, _a, case = _setup(db)
        cadence.sweep_due(db)
        clock = cadence.refresh_clock(db, case=case)
    assert clock.acknowledge_due_at == MON_10 + timedelta(hours=1)
    assert clock.update_due_at is None


def test_acknowledging_stops_that_clock_and_starts_the_update_clock(db: Session) -> None:
    with frozen(MON_10) as clock:
        _ws, _o, agent, case = _setup(db)
        clock.advance(timedelta(minutes=20))
        cases.acknowledge_case(db, actor=agent, case=case)
        cadence.sweep_due(db)
        row = cadence.refresh_clock(db, case=case)
    assert row.acknowledge_due_at is None
    assert row.update_due_at == MON_10 + timedelta(hours=4, minutes=20)


def test_writing_to_the_client_moves_the_update_deadline_forward(db: Session) -> None:
    with frozen(MON_10) as clock:
        _ws, _o, agent, case = _setup(db)
        cases.acknowledge_case(db, actor=agent, case=case)
        clock.advance(timedelta(hours=3))
        intake.add_outbound_message(db, actor=agent, case=case, body="We found the cause; fix by noon.")
        row = cadence.refresh_clock(db, case=case)
    assert row.update_due_at == MON_10 + timedelta(hours=7)
    assert row.last_update_at == MON_10 + timedelta(hours=3)


def test_waiting_on_the_client_pauses_and_their_reply_resumes(db: Session) -> None:
    with frozen(MON_10) as clock:
        _ws, _o, agent, case = _setup(db)
        cases.acknowledge_case(db, actor=agent, case=case)
        clock.advance(timedelta(hours=1))
        cadence.mark_waiting_on_client(db, actor=agent, case=case, note="Asked for the invoice number.")
        paused = cadence.clock_view(db, actor=agent, case=case)
        clock.advance(timedelta(hours=2))
        intake.add_inbound_message(db, actor=None, case=case, body="It is INV-2231.", sender="a@acme.example")
        resumed = cadence.refresh_clock(db, case=case)
    assert paused["paused"] and paused["update_due_at"] is None
    assert resumed.paused_at is None
    assert resumed.update_due_at == MON_10 + timedelta(hours=6)  # 4h target + 2h paused


def test_awaiting_confirmation_stops_the_update_clock(db: Session) -> None:
    with frozen(MON_10):
        _ws, _o, agent, case = _setup(db)
        walk_to(db, case, "awaiting_confirmation", agent)
        row = cadence.refresh_clock(db, case=case)
    assert row.paused_at == MON_10
    assert row.update_due_at is None and row.resolve_due_at is None


def test_the_spokesperson_is_reminded_before_the_acknowledgement_is_due(db: Session) -> None:
    with frozen(MON_10) as clock:
        _ws, _o, agent, case = _setup(db)
        cadence.sweep_due(db)
        clock.advance(timedelta(minutes=50))  # 10 minutes before the 1h target
        result = cadence.sweep_due(db)
    reminders = db.scalars(select(Reminder).where(Reminder.case_id == case.id)).all()
    assert [(r.kind, r.level, r.recipients) for r in reminders] == [("acknowledge", "reminder", [agent.id])]
    assert len(result.reminders) == 1
    mail = db.scalars(select(OutboxMessage).where(OutboxMessage.case_id == case.id)).all()
    assert [m.recipient for m in mail] == [agent.email]
    assert case.reference in mail[0].subject


def test_an_overdue_acknowledgement_escalates_to_the_owner(db: Session) -> None:
    with frozen(MON_10) as clock:
        _ws, owner, agent, case = _setup(db)
        cadence.sweep_due(db)
        clock.advance(timedelta(hours=1, minutes=1))
        cadence.sweep_due(db)
    reminder = db.scalars(select(Reminder).where(Reminder.case_id == case.id)).one()
    assert reminder.level == "escalation"
    assert set(reminder.recipients) == {agent.id, owner.id}


def test_sweeping_again_sends_nothing_twice(db: Session) -> None:
    with frozen(MON_10) as clock:
        _ws, _o, _a, case = _setup(db)
        cadence.sweep_due(db)
        clock.advance(timedelta(hours=2))
        cadence.sweep_due(db)
        again = cadence.sweep_due(db)
    assert again.reminders == []
    assert len(db.scalars(select(Reminder).where(Reminder.case_id == case.id)).all()) == 1


def test_a_missed_update_escalates_once_per_deadline(db: Session) -> None:
    with frozen(MON_10) as clock:
        _ws, _o, agent, case = _setup(db)
        cases.acknowledge_case(db, actor=agent, case=case)
        cadence.sweep_due(db)
        clock.advance(timedelta(hours=4, minutes=5))
        cadence.sweep_due(db)
        intake.add_outbound_message(db, actor=agent, case=case, body="Still on it; next news by 3pm.")
        cadence.sweep_due(db)
    kinds = [(r.kind, r.level) for r in db.scalars(select(Reminder).where(Reminder.case_id == case.id))]
    assert kinds == [("update", "escalation")]


def test_the_weekend_does_not_count_against_the_team(db: Session) -> None:
    friday_4pm = datetime(2026, 3, 6, 16, 30, tzinfo=UTC)
    with frozen(friday_4pm) as clock:
        _ws, _o, _a, case = _setup(db)
        cadence.sweep_due(db)
        clock.advance(timedelta(days=1))  # Saturday afternoon
        saturday = cadence.sweep_due(db)
    assert saturday.reminders == []
    assert cadence.refresh_clock(db, case=case).acknowledge_due_at == datetime(2026, 3, 9, 9, 30, tzinfo=UTC)


def test_a_holiday_from_the_workspace_settings_is_skipped(db: Session) -> None:
    with frozen(MON_10):
        ws, owner, _a, case = _setup(db)
        cadence.configure_hours(db, actor=owner, workspace_id=ws.id, holidays=[MON_10.date()])
        clock = cadence.refresh_clock(db, case=case)
    assert clock.acknowledge_due_at == datetime(2026, 3, 3, 10, 0, tzinfo=UTC)


def test_sla_status_lists_overdue_cases(db: Session) -> None:
    with frozen(MON_10) as clock:
        ws, owner, _a, case = _setup(db)
        clock.advance(timedelta(hours=2))
        rows = cadence.sla_status(db, actor=owner, workspace_id=ws.id)
    assert [(r["reference"], r["overdue"]) for r in rows] == [(case.reference, True)]


def test_a_workspace_webhook_gets_each_escalation_too(db: Session) -> None:
    with frozen(MON_10) as clock:
        ws, owner, _a, case = _setup(db)
        cadence.configure_hours(db, actor=owner, workspace_id=ws.id, webhook_url="http://127.0.0.1:9/hook")
        clock.advance(timedelta(hours=2))
        cadence.sweep_due(db)
    hooks = db.scalars(
        select(OutboxMessage).where(OutboxMessage.case_id == case.id, OutboxMessage.transport == "webhook")
    ).all()
    assert [(h.payload["event"], h.payload["kind"], h.payload["case"]) for h in hooks] == [
        ("escalation", "acknowledge", case.reference)
    ]
