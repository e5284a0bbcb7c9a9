"""Signed session cookie and CSRF protection for the browser surface."""

from __future__ import annotations

import re

from fastapi import FastAPI
from starlette.middleware.sessions import SessionMiddleware

from accord.config import get_settings
from accord.http.deps import SESSION_MAX_AGE
from accord.web.csrf import FormCSRFMiddleware

SESSION_COOKIE = "accord_session"
# The API authenticates with bearer tokens, which browsers never send; /login must work from a stale
# session cookie too (an expired session's token may be gone), and signing in creates no ambient authority.
CSRF_EXEMPT = [re.compile(r"^/api/"), re.compile(r"^/login$")]


def install_security(app: FastAPI) -> None:
    """Sessions are HttpOnly, SameSite=Lax, Secure on https; every state-changing request that
    carries the session cookie must echo the CSRF cookie in the `x-csrftoken` header (htmx) or in
    the hidden `csrftoken` field every POST form carries (plain forms, JavaScript off)."""
    settings = get_settings()
    secure = settings.base_url.startswith("https://")
    app.add_middleware(
        FormCSRFMiddleware,
        secret=settings.secret_key,
        sensitive_cookies={SESSION_COOKIE},
        exempt_urls=CSRF_EXEMPT,
        cookie_secure=secure,
    )
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        session_cookie=SESSION_COOKIE,
        max_age=int(SESSION_MAX_AGE.total_seconds()),
        same_site="lax",
        https_only=secure,
    )
