"""Request-scoped dependencies: the unit of work and who is acting (authentication lives here).

Stable names other surfaces use:
- `get_db`: one transaction per request, committed before the reply is sent; depend on it through
  `db_session` (`Depends(get_db, scope="function")`), never a bare `Depends(get_db)`.
- `Caller`: the workspace and user a request acts for.
- `get_caller`: API auth; needs `Authorization: Bearer <token>`, else 401 JSON.
- `require_api_write`: like `get_caller`, and the token must have the `write` scope (403 otherwise).
- `get_web_caller`: page auth; needs the signed session cookie set by /login, else a redirect to /login.
- `SESSION_USER_KEY`, `SESSION_STARTED_KEY`, `SESSION_GENERATION_KEY`, `SESSION_MAX_AGE`: what /login
  stores in the session; a session whose generation is not the user's current one was signed out.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from fastapi import Depends, HTTPException, Request
from sqlalchemy.orm import Session

from accord.cases import service as cases
from accord.cases.models import Case
from accord.clock import now
from accord.db import session_scope
from accord.errors import Forbidden, NotFound, Unauthorized
from accord.users import service as users
from accord.users import tokens
from accord.users.models import User, Workspace

SESSION_USER_KEY = "uid"
SESSION_STARTED_KEY = "started"
SESSION_GENERATION_KEY = "gen"
SESSION_MAX_AGE = timedelta(hours=12)


def _request_session() -> Iterator[Session]:
    """The request's session: rolled back on any error, closed once the reply has gone out."""
    with session_scope() as db:
        yield db


def get_db(db: Session = Depends(_request_session)) -> Iterator[Session]:
    """One transaction per request, committed before the reply is sent (used with function scope).

    A client that reads right after a 2xx sees the write, and a failing commit becomes an error
    response instead of a 2xx already on the wire. An error in the handler skips the commit and
    `_request_session` rolls back.
    """
    yield db
    db.commit()


db_session: Any = Depends(get_db, scope="function")
"""`Depends(get_db)` in function scope: the commit runs after the handler, before the reply."""


@dataclass
class Caller:
    """The workspace and user a request acts for."""

    workspace: Workspace
    actor: User | None
    scope: str = "write"

    def case(self, db: Session, reference: str) -> Case:
        """The case with this reference as the caller may see it (the service checks access: 404 if not)."""
        return cases.get_case(db, actor=self.actor, workspace_id=self.workspace.id, reference=reference)


def _caller_for(db: Session, user: User, scope: str) -> Caller:
    workspace = db.get(Workspace, user.workspace_id)
    if workspace is None:
        raise NotFound("Workspace not found.")
    return Caller(workspace=workspace, actor=user, scope=scope)


def get_caller(request: Request, db: Session = db_session) -> Caller:
    """The API caller from `Authorization: Bearer <token>`; 401 without a valid, unrevoked token."""
    header = request.headers.get("authorization", "")
    kind, _, value = header.partition(" ")
    if kind.lower() != "bearer" or not value.strip():
        raise Unauthorized("Send a personal API token as `Authorization: Bearer <token>`.")
    user, token = tokens.authenticate_token(db, plain=value.strip())
    if tokens.needs_marking(token):  # at most once a minute, in its own short transaction (issue 23)
        with session_scope() as marking:
            tokens.mark_token_used(marking, token=token, user=user)
    caller = _caller_for(db, user, token.scope)
    if request.method not in ("GET", "HEAD", "OPTIONS") and token.scope != "write":
        raise Forbidden("This API token is read-only; create one with --scope write to change data.")
    return caller


def require_api_write(caller: Caller = Depends(get_caller)) -> Caller:
    """An API caller whose token may write (explicit form of the check `get_caller` makes)."""
    if caller.scope != "write":
        raise Forbidden("This API token is read-only; create one with --scope write to change data.")
    return caller


def session_user(request: Request, db: Session) -> User | None:
    """The signed-in user of a page request, or None when the session is missing or expired."""
    session = request.scope.get("session") or {}
    user_id, started = session.get(SESSION_USER_KEY), session.get(SESSION_STARTED_KEY)
    if not isinstance(user_id, int) or not isinstance(started, str):
        return None
    try:
        begun = datetime.fromisoformat(started)
    except ValueError:
        return None
    if begun.tzinfo is None or now() - begun > SESSION_MAX_AGE:
        return None
    user = users.find_user(db, user_id=user_id)
    if user is None or not user.active or session.get(SESSION_GENERATION_KEY) != user.session_generation:
        return None  # signed out everywhere, or the password changed, since this cookie was made
    return user


def get_web_caller(request: Request, db: Session = db_session) -> Caller:
    """The page caller from the session cookie; without one the browser is sent to /login."""
    user = session_user(request, db)
    if user is None:
        target = "/login"
        if request.method == "GET" and request.url.path != "/":
            target += "?next=" + request.url.path
        if request.headers.get("HX-Request"):  # htmx would follow a 303 and swap the login page in
            raise HTTPException(status_code=204, headers={"HX-Redirect": target})
        raise HTTPException(status_code=303, headers={"Location": target})
    return _caller_for(db, user, "write")
