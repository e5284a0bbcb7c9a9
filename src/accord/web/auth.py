"""Sign-in and sign-out pages: parse -> one service call -> session cookie -> redirect."""

from __future__ import annotations

import time
from collections import defaultdict, deque

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from accord.clock import now
from accord.config import get_settings
from accord.errors import Unauthorized
from accord.http.deps import SESSION_STARTED_KEY, SESSION_USER_KEY, db_session
from accord.users import auth
from accord.web.render import page, redirect

router = APIRouter(include_in_schema=False)

PER_ADDRESS_LIMIT = 10  # sign-in attempts per client address per minute (off with ACCORD_RATE_LIMIT=false)
_attempts: dict[str, deque[float]] = defaultdict(deque)


def _too_many(address: str) -> bool:
    """A sliding one-minute window per address, on top of the per-user lockout in `auth.authenticate`."""
    if not get_settings().rate_limit:
        return False
    window, moment = _attempts[address], time.monotonic()
    while window and moment - window[0] > 60:
        window.popleft()
    window.append(moment)
    return len(window) > PER_ADDRESS_LIMIT


def _safe_next(target: str) -> str:
    """Only local paths: an attacker cannot bounce a fresh login to another site."""
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else "/"


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "/") -> HTMLResponse:
    """The sign-in form."""
    return page(request, "login.html", {"next": _safe_next(next), "error": None, "email": ""})


@router.post("/login", response_model=None)
def login(
    request: Request,
    email: str = Form(""),
    password: str = Form(""),
    next: str = Form("/"),
    db: Session = db_session,
) -> Response:
    """Check the password (with lockout) and start a fresh signed session."""
    address = request.client.host if request.client else "unknown"
    if _too_many(address):
        error = "Too many attempts; wait a minute."
        context = {"next": _safe_next(next), "error": error, "email": email[:320]}
        return page(request, "login.html", context, status_code=429)
    try:
        user = auth.authenticate(db, email=email, password=password[:1000])
    except Unauthorized as exc:
        db.commit()  # keep the failed attempt and the lockout even though we answer with an error
        context = {"next": _safe_next(next), "error": exc.message, "email": email[:320]}
        return page(request, "login.html", context, status_code=401)
    request.session.clear()
    request.session[SESSION_USER_KEY] = user.id
    request.session[SESSION_STARTED_KEY] = now().isoformat()
    db.commit()
    return redirect(request, _safe_next(next))


@router.post("/logout", response_model=None)
def logout(request: Request) -> Response:
    """Forget the session."""
    request.session.clear()
    return redirect(request, "/login")
