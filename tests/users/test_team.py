"""Owners run the team: invitations with a one-time link, roles, deactivation, the base URL (issue 20)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from accord.clock import frozen
from accord.config import get_settings
from accord.errors import Conflict, Forbidden, Invalid, Unauthorized
from accord.users import auth, invitations, team
from accord.users import service as users
from accord.users.invitations import InvitationRefused
from tests.helpers import create_agent, create_owner, create_workspace

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _actions(db: Session, workspace_id: int) -> list[str]:
    return [row["action"] for row in auth.export_audit(db, workspace_id=workspace_id)]


def test_an_invited_person_joins_once_with_their_own_password(db: Session) -> None:
    ws = create_workspace(db)
    owner = create_owner(db, ws)
    _row, token = invitations.create_invitation(
        db, actor=owner, workspace=ws, email="Priya@North.example", role="lead"
    )
    user = invitations.accept_invitation(db, token=token, name="Priya Raman", password="long enough pw")
    assert (user.email, user.role, user.workspace_id) == ("priya@north.example", "lead", ws.id)
    assert auth.authenticate(db, email="priya@north.example", password="long enough pw").id == user.id
    with pytest.raises(InvitationRefused, match="already used"):
        invitations.accept_invitation(db, token=token, name="Someone Else", password="another long pw")
    assert {"invitation_created", "invitation_accepted"} <= set(_actions(db, ws.id))


def test_an_expired_invitation_says_so_and_creates_nobody(db: Session) -> None:
    ws = create_workspace(db)
    owner = create_owner(db, ws)
    with frozen(T0) as clock:
        _row, token = invitations.create_invitation(db, actor=owner, workspace=ws, email="late@north.example")
        clock.advance(invitations.INVITATION_VALID + timedelta(minutes=1))
        with pytest.raises(InvitationRefused, match="expired on 05 Mar 2026"):
            invitations.accept_invitation(db, token=token, name="Late Larry", password="long enough pw")


def test_a_short_password_is_refused_and_the_link_still_works(db: Session) -> None:
    ws = create_workspace(db)
    owner = create_owner(db, ws)
    _row, token = invitations.create_invitation(db, actor=owner, workspace=ws, email="sam@north.example")
    with pytest.raises(Invalid, match="at least 10"):
        invitations.accept_invitation(db, token=token, name="Sam", password="short")
    assert invitations.read_invitation(db, token=token).used_at is None


def test_only_owners_invite(db: Session) -> None:
    ws = create_workspace(db)
    agent = create_agent(db, ws)
    with pytest.raises(Forbidden, match="Only owner may invite"):
        invitations.create_invitation(db, actor=agent, workspace=ws, email="x@north.example")


def test_a_member_cannot_be_invited_twice(db: Session) -> None:
    ws = create_workspace(db)
    owner = create_owner(db, ws)
    with pytest.raises(Conflict, match="already a member"):
        invitations.create_invitation(db, actor=owner, workspace=ws, email=owner.email)


def test_the_last_owner_cannot_be_demoted_or_deactivated(db: Session) -> None:
    ws = create_workspace(db)
    owner = create_owner(db, ws)
    with pytest.raises(Conflict, match="only owner"):
        team.change_role(db, actor=owner, workspace_id=ws.id, user_id=owner.id, role="agent")
    with pytest.raises(Conflict, match="only owner"):
        team.deactivate_user(db, actor=owner, workspace_id=ws.id, user_id=owner.id)


def test_an_owner_changes_a_role_and_it_is_audited(db: Session) -> None:
    ws = create_workspace(db)
    owner, agent = create_owner(db, ws), create_agent(db, ws)
    team.change_role(db, actor=owner, workspace_id=ws.id, user_id=agent.id, role="lead")
    assert agent.role == "lead"
    assert "role_changed" in _actions(db, ws.id)


def test_an_agent_cannot_change_roles(db: Session) -> None:
    ws = create_workspace(db)
    owner, agent = create_owner(db, ws), create_agent(db, ws)
    with pytest.raises(Forbidden):
        team.change_role(db, actor=agent, workspace_id=ws.id, user_id=owner.id, role="viewer")
    assert owner.role == "owner"


def test_a_deactivated_member_can_no_longer_sign_in(db: Session) -> None:
    ws = create_workspace(db)
    owner, agent = create_owner(db, ws), create_agent(db, ws)
    users.set_password(db, user=agent, password="agent password 1")
    generation = agent.session_generation
    team.deactivate_user(db, actor=owner, workspace_id=ws.id, user_id=agent.id)
    assert (agent.active, agent.session_generation) == (False, generation + 1)
    with pytest.raises(Unauthorized, match="Wrong email or password"):
        auth.authenticate(db, email=agent.email, password="agent password 1")


def test_the_base_url_is_normalised_and_wins_over_the_request(db: Session) -> None:
    ws = create_workspace(db)
    owner = create_owner(db, ws)
    assert team.public_base_url(ws, "http://127.0.0.1:8765/") == "http://127.0.0.1:8765"
    team.set_base_url(db, actor=owner, workspace=ws, base_url=" https://desk.north.example/ ")
    assert team.public_base_url(ws, "http://127.0.0.1:8765/") == "https://desk.north.example"
    assert "desk.north.example" in (team.base_url_mismatch(ws, "http://127.0.0.1:8765/") or "")
    assert team.base_url_mismatch(ws, "https://desk.north.example/") is None
    assert "base_url_changed" in _actions(db, ws.id)


def test_a_base_url_that_is_not_a_web_address_is_refused(db: Session) -> None:
    ws = create_workspace(db)
    owner = create_owner(db, ws)
    with pytest.raises(Invalid, match="not a web address"):
        team.set_base_url(db, actor=owner, workspace=ws, base_url="javascript:alert(1)")
    assert ws.base_url == ""


def test_without_a_base_url_a_differing_worker_address_is_flagged(
    db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ACCORD_BASE_URL", "http://127.0.0.1:8000")
    get_settings.cache_clear()
    try:
        ws = create_workspace(db)
        warning = team.base_url_mismatch(ws, "http://127.0.0.1:8765/")
        assert warning is not None and "point at http://127.0.0.1:8000 (ACCORD_BASE_URL)" in warning
        assert team.base_url_mismatch(ws, "http://127.0.0.1:8000/") is None
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
