"""P23: only the client's yes resolves a case; links are signed, expiring, single-use and case-bound."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.cadence import confirmation as confirm
from accord.cadence import service as cadence
from accord.cadence.models import FollowUp
from accord.clients import service as clients
from accord.clock import frozen
from accord.errors import Conflict
from accord.intake import service as intake
from accord.notify.models import OutboxMessage
from tests.cadence.helpers import walk_to
from tests.helpers import create_agent, create_case, create_client, create_workspace

MON_10 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def _proposed(db: Session):  # type: ignore[no-untyped-def]
    ws = create_workspace(db, "confirm")
    agent = create_agent(db, ws)
    client = create_client(db, ws, default_spokesperson_id=agent.id)
    clients.add_contact(db, actor=agent, client=client, name="Dana Dentist", email="dana@acme.example")
    case = create_case(db, client, agent)
    walk_to(db, case, "resolution_proposed", agent)
    return agent, case


def test_asking_for_confirmation_emails_the_client_a_link(db: Session) -> None:
    agent, case = _proposed(db)
    _confirmation, url = confirm.request_confirmation(db, actor=agent, case=case)
    mail = db.scalars(select(OutboxMessage).where(OutboxMessage.case_id == case.id)).all()
    assert case.status == "awaiting_confirmation"
    assert [(m.recipient, url in m.body) for m in mail if m.key.startswith("confirm:")] == [
        ("dana@acme.example", True)
    ]


def test_yes_resolves_the_case_and_schedules_the_follow_up(db: Session) -> None:
    with frozen(MON_10):
        agent, case = _proposed(db)
        _c, url = confirm.request_confirmation(db, actor=agent, case=case)
        confirm.answer_confirmation(db, token=url.rsplit("/", 1)[1], resolved=True, comment="All good now.")
    follow_up = db.scalars(select(FollowUp).where(FollowUp.case_id == case.id)).one()
    assert case.status == "resolved"
    assert follow_up.scheduled_at == MON_10 + timedelta(days=14)


def test_not_yet_reopens_the_conversation_and_alerts_the_spokesperson(db: Session) -> None:
    agent, case = _proposed(db)
    _c, url = confirm.request_confirmation(db, actor=agent, case=case)
    token = url.rsplit("/", 1)[1]
    confirm.answer_confirmation(db, token=token, resolved=False, comment="Still charged twice")
    alert = db.scalars(
        select(OutboxMessage).where(OutboxMessage.key.like("not-yet:%"), OutboxMessage.case_id == case.id)
    ).one()
    assert case.status == "in_conversation"
    assert alert.recipient == agent.email and "Still charged twice" in alert.body


def test_a_used_link_is_refused(db: Session) -> None:
    agent, case = _proposed(db)
    _c, url = confirm.request_confirmation(db, actor=agent, case=case)
    token = url.rsplit("/", 1)[1]
    confirm.answer_confirmation(db, token=token, resolved=False)
    walk_to(db, case, "awaiting_confirmation", agent)
    with pytest.raises(confirm.LinkRefused, match="already used"):
        confirm.answer_confirmation(db, token=token, resolved=True)


def test_an_expired_link_is_refused(db: Session) -> None:
    with frozen(MON_10) as clock:
        agent, case = _proposed(db)
        _c, url = confirm.request_confirmation(db, actor=agent, case=case)
        clock.advance(timedelta(days=15))
        with pytest.raises(confirm.LinkRefused, match="expired"):
            confirm.answer_confirmation(db, token=url.rsplit("/", 1)[1], resolved=True)
    assert case.status == "awaiting_confirmation"


def test_a_tampered_link_is_refused(db: Session) -> None:
    agent, case = _proposed(db)
    _c, url = confirm.request_confirmation(db, actor=agent, case=case)
    token = url.rsplit("/", 1)[1]
    forged = token[:-3] + ("AAA" if token[-3:] != "AAA" else "BBB")
    with pytest.raises(confirm.LinkRefused, match="not valid"):
        confirm.answer_confirmation(db, token=forged, resolved=True)


def test_a_link_for_another_case_is_refused(db: Session) -> None:
    agent, case = _proposed(db)
    confirmation, _url = confirm.request_confirmation(db, actor=agent, case=case)
    wrong = confirm.make_token(confirm.CONFIRM_SALT, case.id + 1000, confirmation.nonce, timedelta(days=1))
    with pytest.raises(confirm.LinkRefused, match="does not belong"):
        confirm.answer_confirmation(db, token=wrong, resolved=True)


def test_a_thank_you_email_does_not_close_the_case(db: Session) -> None:
    agent, case = _proposed(db)
    confirm.request_confirmation(db, actor=agent, case=case)
    intake.add_inbound_message(db, actor=None, case=case, body="Thanks!", sender="dana@acme.example")
    cadence.sweep_due(db)
    assert case.status == "awaiting_confirmation"


def test_a_confirmation_on_a_call_is_recorded_with_its_note(db: Session) -> None:
    agent, case = _proposed(db)
    confirm.record_call_confirmation(db, actor=agent, case=case, note="Dana said on the phone it is fixed.")
    assert case.status == "resolved"
    assert "on the phone" in case.events[-1].data["note"]


def test_a_call_confirmation_needs_a_proposed_resolution(db: Session) -> None:
    ws = create_workspace(db, "confirm")
    case = create_case(db, create_client(db, ws))
    with pytest.raises(Conflict, match="propose a resolution"):
        confirm.record_call_confirmation(db, actor=None, case=case, note="They said fine.")


def test_the_follow_up_asks_how_we_did_and_its_answer_closes_the_case(db: Session) -> None:
    with frozen(MON_10) as clock:
        agent, case = _proposed(db)
        confirm.record_call_confirmation(db, actor=agent, case=case, note="Confirmed by phone.")
        assert cadence.sweep_due(db).follow_ups == 0
        clock.advance(timedelta(days=14, minutes=1))
        assert cadence.sweep_due(db).follow_ups == 1
        assert cadence.sweep_due(db).follow_ups == 0
        mail = db.scalars(
            select(OutboxMessage).where(
                OutboxMessage.key.like("follow-up:%"), OutboxMessage.case_id == case.id
            )
        ).one()
        token = mail.body.split("/follow-up/")[1].split()[0]
        follow_up = confirm.answer_follow_up(db, token=token, rating=4, comment="Quick and fair.")
    assert "how well did we handle" in mail.body.lower()
    assert (follow_up.rating, follow_up.answer, case.status) == (4, "Quick and fair.", "closed")
