"""A sweep with nothing due costs nothing: each clock and each check is claimed once (issue 23, P6, P22)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from accord.cadence import service as cadence
from accord.cadence.models import CaseClock, Reminder
from accord.cases import service as cases
from accord.clock import frozen, now
from tests.bulk import add_handled_cases
from tests.helpers import create_agent, create_case, create_client, create_owner, create_workspace
from tests.statements import statements, writes

MON_10 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def _engine(db: Session) -> Engine:
    return db.get_bind().engine


def test_a_sweep_with_nothing_due_sends_the_same_few_statements_at_any_size(db: Session) -> None:
    with frozen(MON_10):
        ws = create_workspace(db, "sweepcost")
        owner = create_owner(db, ws)
        client = create_client(db, ws)
        add_handled_cases(
            db, workspace_id=ws.id, client_ids=[client.id], owner_id=owner.id, count=20, at=now()
        )
        cadence.sweep_due(db)  # the client's own bookkeeping, if any, is done once
        with statements(_engine(db)) as small:
            quiet = cadence.sweep_due(db)
        add_handled_cases(
            db, workspace_id=ws.id, client_ids=[client.id], owner_id=owner.id, count=2000, at=now()
        )
        with statements(_engine(db)) as large:
            still = cadence.sweep_due(db)
    assert (quiet.refreshed, quiet.reminders, still.refreshed, still.reminders) == (0, [], 0, [])
    assert len(large) == len(small) <= 4, large  # a few index probes, none per case
    assert writes(large) == []  # and it writes nothing, so it holds no write lock


def test_a_changed_case_is_recomputed_once_then_left_alone(db: Session) -> None:
    with frozen(MON_10) as clock:
        ws = create_workspace(db, "sweeponce")
        agent = create_agent(db, ws)
        case = create_case(db, create_client(db, ws, default_spokesperson_id=agent.id), agent, severity=4)
        first = cadence.sweep_due(db)
        again = cadence.sweep_due(db)
        cases.add_note(db, actor=agent, case=case, body="Called them back.")
        clock.advance(timedelta(minutes=5))
        after_note = cadence.sweep_due(db)
    assert (first.refreshed, again.refreshed, after_note.refreshed) == (1, 0, 1)
    assert case.next_due == "acknowledge" and case.next_due_at is not None and not case.clock_stale


def test_a_deadline_is_warned_then_escalated_then_never_read_again(db: Session) -> None:
    with frozen(MON_10) as clock:
        ws = create_workspace(db, "sweepclaim")
        create_owner(db, ws)
        agent = create_agent(db, ws)
        case = create_case(db, create_client(db, ws, default_spokesperson_id=agent.id), agent, severity=4)
        cadence.sweep_due(db)
        row = db.scalar(select(CaseClock).where(CaseClock.case_id == case.id))
        assert row is not None and row.acknowledge_due_at is not None
        warn_at = row.next_check_at
        assert warn_at is not None and warn_at < row.acknowledge_due_at  # the warning comes first
        clock.advance(warn_at - now() + timedelta(seconds=1))
        warned = cadence.sweep_due(db)
        clock.advance(timedelta(hours=1))
        escalated = cadence.sweep_due(db)
        with statements(_engine(db)) as later:
            quiet = cadence.sweep_due(db)
        moved_on = row.next_check_at is None or row.next_check_at > now()  # past what was handled
    levels = [
        r.level
        for r in db.scalars(
            select(Reminder)
            .where(Reminder.case_id == case.id, Reminder.kind == "acknowledge")
            .order_by(Reminder.id)
        )
    ]
    assert levels == ["reminder", "escalation"] and len(warned.reminders) == len(escalated.reminders) == 1
    assert quiet.reminders == [] and writes(later) == []
    assert moved_on
