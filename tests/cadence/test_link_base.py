"""Links in mails point where the desk really is: the workspace's base URL, else the address the request
came to; never a fixed port 8000 (issue 20, P23). Working hours saved on the settings move the clocks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.cadence import confirmation as confirm
from accord.cadence import service as cadence
from accord.cadence.models import CaseClock, FollowUp
from accord.clients import service as clients
from accord.clock import frozen
from accord.notify.models import OutboxMessage
from accord.users import team
from tests.cadence.helpers import walk_to
from tests.helpers import create_agent, create_case, create_client, create_owner, create_workspace

MON_10 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def _proposed(db: Session):  # type: ignore[no-untyped-def]
    ws = create_workspace(db, "links")
    owner, agent = create_owner(db, ws), create_agent(db, ws)
    client = create_client(db, ws, default_spokesperson_id=agent.id)
    clients.add_contact(db, actor=agent, client=client, name="Dana Dentist", email="dana@acme.example")
    case = create_case(db, client, agent)
    walk_to(db, case, "resolution_proposed", agent)
    return ws, owner, agent, case


def _mail(db: Session, case_id: int, prefix: str) -> str:
    rows = db.scalars(select(OutboxMessage).where(OutboxMessage.case_id == case_id)).all()
    return next(r.body for r in rows if r.key.startswith(prefix))


def test_the_confirmation_link_uses_the_port_the_desk_was_reached_on(db: Session) -> None:
    _ws, _owner, agent, case = _proposed(db)
    _c, url = confirm.request_confirmation(
        db, actor=agent, case=case, request_base_url="http://127.0.0.1:8765/"
    )
    assert url.startswith("http://127.0.0.1:8765/confirm/")
    assert url in _mail(db, case.id, "confirm:") and ":8000" not in _mail(db, case.id, "confirm:")


def test_the_workspace_base_url_wins_over_the_request(db: Session) -> None:
    ws, owner, agent, case = _proposed(db)
    team.set_base_url(db, actor=owner, workspace=ws, base_url="https://desk.acme.example")
    _c, url = confirm.request_confirmation(
        db, actor=agent, case=case, request_base_url="http://127.0.0.1:8765/"
    )
    assert url.startswith("https://desk.acme.example/confirm/")


def test_the_follow_up_sent_by_the_sweep_uses_the_workspace_base_url(db: Session) -> None:
    with frozen(MON_10) as clock:
        ws, owner, agent, case = _proposed(db)
        team.set_base_url(db, actor=owner, workspace=ws, base_url="https://desk.acme.example")
        _c, url = confirm.request_confirmation(db, actor=agent, case=case)
        confirm.answer_confirmation(db, token=url.rsplit("/", 1)[1], resolved=True)
        clock.advance(timedelta(days=15))
        cadence.sweep_due(db)
    assert db.scalars(select(FollowUp).where(FollowUp.case_id == case.id)).one().sent_at is not None
    assert "https://desk.acme.example/follow-up/" in _mail(db, case.id, "follow-up:")


def test_saving_a_holiday_moves_the_stored_clock_of_open_cases(db: Session) -> None:
    with frozen(MON_10):
        ws = create_workspace(db, "hours")
        owner = create_owner(db, ws)
        case = create_case(db, create_client(db, ws), owner, severity=4)
        assert cadence.refresh_clock(db, case=case).acknowledge_due_at == MON_10 + timedelta(hours=1)
        cadence.configure_hours(
            db, actor=owner, workspace_id=ws.id, holidays=cadence.parse_days("2026-03-02")
        )
        stored = db.scalars(select(CaseClock).where(CaseClock.case_id == case.id)).one()
    assert stored.acknowledge_due_at == datetime(2026, 3, 3, 10, 0, tzinfo=UTC)  # Tuesday 09:00 + 1 h
