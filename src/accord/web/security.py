"""Signed session cookie and CSRF protection for the browser surface."""

from __future__ import annotations

import re

from fastapi import FastAPI
from starlette.datastructures import MutableHeaders
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from accord.config import get_settings
from accord.http.deps import SESSION_MAX_AGE
from accord.web.csrf import FormCSRFMiddleware

SESSION_COOKIE = "accord_session"
# The API authenticates with bearer tokens, which browsers never send; /login must work from a stale
# session cookie too (an expired session's token may be gone), and signing in creates no ambient authority.
CSRF_EXEMPT = [re.compile(r"^/api/"), re.compile(r"^/login$")]


# Only our own files run or style a page: no inline scripts or styles, no framing, no foreign forms.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
SECURITY_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
}


class SecurityHeadersMiddleware:
    """Adds the security headers to every HTTP response (pages, API, static files, errors)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, with_headers)


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
    app.add_middleware(SecurityHeadersMiddleware)
    if settings.trusted_proxies:  # X-Forwarded-For names the client only when a trusted proxy sent it
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxies)
