"""Password sign-in with lockout and backoff, API tokens and the audit log (service level)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from accord.clock import frozen, now
from accord.errors import Forbidden, Invalid, Unauthorized
from accord.users import auth, tokens
from accord.users import service as users
from accord.users.models import ApiToken
from tests.helpers import create_owner, create_viewer, create_workspace

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _member(db: Session, password: str = "correct horse 42") -> str:
    workspace = create_workspace(db)
    user, _ = users.add_user(
        db,
        actor=None,
        workspace=workspace,
        name="Lena Lead",
        email="lena@north.example",
        role="lead",
        password=password,
    )
    return user.email


def test_right_password_signs_in_and_is_audited(db: Session) -> None:
    email = _member(db)
    user = auth.authenticate(db, email=email, password="correct horse 42")
    assert user.email == email
    mine = [e["action"] for e in auth.export_audit(db, workspace_id=user.workspace_id) if e["actor"] == email]
    assert mine == ["login"]


def test_wrong_password_and_unknown_email_give_the_same_message(db: Session) -> None:
    email = _member(db)
    with pytest.raises(Unauthorized) as wrong:
        auth.authenticate(db, email=email, password="nope")
    with pytest.raises(Unauthorized) as unknown:
        auth.authenticate(db, email="ghost@north.example", password="nope")
    assert wrong.value.message == unknown.value.message


def test_repeated_failures_lock_the_account_with_growing_waits(db: Session) -> None:
    email = _member(db)
    with frozen(T0) as clock:
        for _ in range(auth.FREE_ATTEMPTS):
            with pytest.raises(Unauthorized):
                auth.authenticate(db, email=email, password="bad")
        with pytest.raises(Unauthorized) as locked:
            auth.authenticate(db, email=email, password="correct horse 42")
        assert locked.value.code == "locked"
        clock.advance(auth.lock_duration(auth.FREE_ATTEMPTS) + timedelta(seconds=1))
        with pytest.raises(Unauthorized):
            auth.authenticate(db, email=email, password="bad again")
        user = users.get_user_by_email(db, workspace_id=create_workspace(db).id, email=email)
        assert user.locked_until is not None and user.locked_until - now() == timedelta(seconds=60)
        clock.advance(timedelta(seconds=61))
        assert auth.authenticate(db, email=email, password="correct horse 42").failed_logins == 0


def test_backoff_doubles_and_is_capped() -> None:
    waits = [auth.lock_duration(n).total_seconds() for n in range(2, 12)]
    assert waits[:4] == [0, 30, 60, 120]
    assert max(waits) <= auth.MAX_LOCK.total_seconds()


def test_token_is_stored_only_as_a_hash_and_authenticates(db: Session) -> None:
    owner = create_owner(db, create_workspace(db))
    token, plain = tokens.create_token(db, actor=owner, scope="write")
    stored = db.get(ApiToken, token.id)
    assert stored is not None and plain not in (stored.token_hash, stored.prefix)
    user, used = tokens.authenticate_token(db, plain=plain)
    assert user.id == owner.id and used.last_used_at is None  # authenticating only reads (issue 23)
    assert tokens.mark_token_used(db, token=used, user=user)
    assert not tokens.mark_token_used(db, token=used, user=user)  # within the minute: nothing written
    db.refresh(used)
    assert used.last_used_at is not None


def test_revoked_token_no_longer_authenticates(db: Session) -> None:
    owner = create_owner(db, create_workspace(db))
    token, plain = tokens.create_token(db, actor=owner, scope="read")
    tokens.revoke_token(db, actor=owner, token_id=token.id)
    with pytest.raises(Unauthorized):
        tokens.authenticate_token(db, plain=plain)


def test_unknown_scope_is_refused(db: Session) -> None:
    owner = create_owner(db, create_workspace(db))
    with pytest.raises(Invalid):
        tokens.create_token(db, actor=owner, scope="admin")


def test_someone_elses_token_cannot_be_revoked(db: Session) -> None:
    workspace = create_workspace(db)
    owner, viewer = create_owner(db, workspace), create_viewer(db, workspace)
    token, _ = tokens.create_token(db, actor=owner, scope="read")
    with pytest.raises(Exception) as refused:
        tokens.revoke_token(db, actor=viewer, token_id=token.id)
    assert getattr(refused.value, "status", None) == 404


def test_viewer_cannot_add_users(db: Session) -> None:
    workspace = create_workspace(db)
    viewer = create_viewer(db, workspace)
    with pytest.raises(Forbidden):
        users.add_user(db, actor=viewer, workspace=workspace, name="X", email="x@north.example")
