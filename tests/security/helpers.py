"""Sign-in helpers for app tests: a bearer token for the API, a session for pages."""

from __future__ import annotations

from fastapi.testclient import TestClient

from accord.config import get_settings
from accord.db import session_scope
from accord.users import repository as user_lookup
from accord.users import service as users
from accord.users import tokens


def api_auth(scope: str = "write", email: str | None = None) -> dict[str, str]:
    """`Authorization` header for a fresh token of `email` (default: the workspace's first owner)."""
    with session_scope() as db:
        workspace = user_lookup.workspace_by_slug(db, get_settings().workspace)
        assert workspace is not None, "create the workspace before asking for a token"
        user = (
            users.get_user_by_email(db, workspace_id=workspace.id, email=email)
            if email
            else users.default_actor(db, workspace_id=workspace.id)
        )
        if user is None:
            user, _ = users.add_user(
                db,
                actor=None,
                workspace=workspace,
                name="Test Owner",
                email="test.owner@accord.example",
                role="owner",
            )
        _, plain = tokens.create_token(db, actor=user, scope=scope)
    return {"Authorization": f"Bearer {plain}"}


def authorize(client: TestClient, scope: str = "write", email: str | None = None) -> TestClient:
    """Make every request of `client` carry a fresh API token."""
    client.headers.update(api_auth(scope, email))
    return client


def csrf_headers(client: TestClient) -> dict[str, str]:
    """The double-submit CSRF header for a client that already has the cookie."""
    token = client.cookies.get("csrftoken")
    return {"x-csrftoken": token} if token else {}


def sign_in(client: TestClient, email: str, password: str) -> int:
    """Post the login form as a browser would (with the CSRF field); returns the status (303 on success)."""
    client.get("/login")
    form = {"email": email, "password": password, "csrftoken": client.cookies.get("csrftoken") or ""}
    response = client.post("/login", data=form, follow_redirects=False)
    return response.status_code
