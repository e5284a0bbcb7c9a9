"""Sign-in and sign-out pages: parse -> one service call -> session cookie -> redirect."""

from __future__ import annotations

import secrets
import time
import unicodedata
from collections import defaultdict, deque
from urllib.parse import unquote, urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from accord.clock import now
from accord.config import get_settings
from accord.errors import Unauthorized
from accord.http.deps import (
    SESSION_GENERATION_KEY,
    SESSION_STARTED_KEY,
    SESSION_USER_KEY,
    db_session,
    session_user,
)
from accord.users import auth
from accord.web.csrf import FIELD as CSRF_FIELD
from accord.web.render import page, redirect

router = APIRouter(include_in_schema=False)

PER_ADDRESS_LIMIT = 10  # sign-in attempts per client address per minute (off with ACCORD_RATE_LIMIT=false)
_attempts: dict[str, deque[float]] = defaultdict(deque)


def _too_many(address: str) -> bool:
    """A sliding one-minute window per address, on top of the per-user lockout in `auth.authenticate`.

    The address is the peer's, or X-Forwarded-For's only when the peer is in ACCORD_TRUSTED_PROXIES
    (uvicorn's ProxyHeadersMiddleware, installed by `create_app`).
    """
    if not get_settings().rate_limit:
        return False
    window, moment = _attempts[address], time.monotonic()
    while window and moment - window[0] > 60:
        window.popleft()
    window.append(moment)
    return len(window) > PER_ADDRESS_LIMIT


def _safe_next(target: str) -> str:
    """Only same-origin paths: no scheme, no host, no `//`, no backslash, no control or space characters.

    Browsers drop tabs and newlines from URLs (`/\t/evil.example` becomes `//evil.example`), and a
    newline in a header would break the response, so any such character sends the user home instead.
    """
    return target if len(target) <= 2000 and _local(target) and _local(unquote(target)) else "/"


def _local(target: str) -> bool:
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return False
    if any(unicodedata.category(ch)[0] in "CZ" for ch in target):  # control, format, separators
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def _login_form_is_ours(request: Request, submitted: str) -> bool:
    """Login CSRF: the form field (or htmx's x-csrftoken header) echoes our login page's csrftoken cookie."""
    cookie = request.cookies.get(CSRF_FIELD, "")
    echoed = submitted or request.headers.get("x-csrftoken", "")
    return bool(cookie) and secrets.compare_digest(cookie.encode(), echoed.encode())


def _form_again(request: Request, next: str, email: str, error: str, status: int) -> HTMLResponse:
    context = {"next": _safe_next(next), "error": error, "email": email[:320]}
    return page(request, "login.html", context, status_code=status)


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
    csrftoken: str = Form(""),
    db: Session = db_session,
) -> Response:
    """Check the password (with lockout) and start a fresh signed session."""
    address = request.client.host if request.client else "unknown"
    if _too_many(address):
        return _form_again(request, next, email, "Too many attempts; wait a minute.", 429)
    if not _login_form_is_ours(request, csrftoken):
        error = "This sign-in form has expired or came from another site; please sign in again."
        return _form_again(request, next, email, error, 403)
    try:
        user = auth.authenticate(db, email=email, password=password[:1000])
    except Unauthorized as exc:
        db.commit()  # keep the failed attempt and the lockout even though we answer with an error
        return _form_again(request, next, email, exc.message, 401)
    request.session.clear()
    request.session[SESSION_USER_KEY] = user.id
    request.session[SESSION_STARTED_KEY] = now().isoformat()
    request.session[SESSION_GENERATION_KEY] = user.session_generation
    db.commit()
    return redirect(request, _safe_next(next))


@router.post("/logout", response_model=None)
def logout(request: Request, db: Session = db_session) -> Response:
    """Sign out: this cookie and every other session of the user stop working (server-side revocation)."""
    user = session_user(request, db)
    if user is not None:
        auth.sign_out_everywhere(db, actor=user, user=user)
    request.session.clear()
    return redirect(request, "/login")
