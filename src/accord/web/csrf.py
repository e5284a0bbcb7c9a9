"""CSRF double-submit check that also takes the token from a hidden form field, so forms work without JS.

starlette-csrf only reads the `x-csrftoken` header, which htmx sends (static/app.js) but a plain HTML
form cannot. Every POST form in the templates carries `csrf_input(request)`: a hidden `csrftoken` field
holding the same value as the cookie. The token is decided before the page renders, so even the first
page a browser sees (no cookie yet) holds the token the response's cookie will carry.
"""

from __future__ import annotations

import http.cookies
from typing import Any

from markupsafe import Markup, escape
from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.types import Message, Receive, Scope, Send
from starlette_csrf import CSRFMiddleware

FIELD = "csrftoken"
TOKEN_KEY = "accord.csrf_token"  # the token this request's pages embed (from the cookie or new)
FORM_TOKEN_KEY = "accord.csrf_form_token"  # the token a submitted form carried
MAX_FORM_BYTES = 2 * 1024 * 1024  # a larger form is not searched for the field (and so is refused)
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
MAX_FORM_FILES = 2  # the New case page uploads one .eml; a form with more files is refused


def csrf_input(request: Request) -> Markup:
    """The hidden field every POST form includes (a template global)."""
    token = request.scope.get(TOKEN_KEY) or request.cookies.get(FIELD) or ""
    return Markup('<input type="hidden" name="{0}" value="{1}">').format(FIELD, escape(token))


async def _read_prefix(receive: Receive) -> tuple[list[Message], bool]:
    """Body messages up to MAX_FORM_BYTES; True when that was the whole body."""
    messages: list[Message] = []
    size = 0
    while size <= MAX_FORM_BYTES:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            return messages, False
        size += len(message.get("body", b""))
        if not message.get("more_body", False):
            return messages, True
    return messages, False


def _replay(messages: list[Message], receive: Receive) -> Receive:
    """A `receive` that hands out the buffered messages first, then the rest of the stream."""
    pending = list(messages)

    async def replayed() -> Message:
        return pending.pop(0) if pending else await receive()

    return replayed


async def _form_token(scope: Scope, messages: list[Message]) -> str | None:
    async def ended() -> Message:
        return {"type": "http.disconnect"}

    request = Request(scope, _replay(messages, ended))
    try:
        form = await request.form(max_files=MAX_FORM_FILES, max_fields=500)
    except Exception:  # a malformed form carries no token; the check then refuses it
        return None
    value = form.get(FIELD)
    await form.close()
    return value if isinstance(value, str) else None


class FormCSRFMiddleware(CSRFMiddleware):
    """starlette-csrf's check, accepting the token from the `x-csrftoken` header or a `csrftoken` field."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        request = Request(scope)
        scope[TOKEN_KEY] = request.cookies.get(self.cookie_name) or self._generate_csrf_token()
        if self._may_carry_form_token(request):
            messages, whole = await _read_prefix(receive)
            if whole:
                scope[FORM_TOKEN_KEY] = await _form_token(scope, messages)
            receive = _replay(messages, receive)
        await super().__call__(scope, receive, send)

    def _may_carry_form_token(self, request: Request) -> bool:
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        return (
            request.method not in self.safe_methods
            and not self._url_is_exempt(request.url)
            and self._has_sensitive_cookies(request.cookies)
            and not request.headers.get(self.header_name)
            and content_type in FORM_TYPES
        )

    async def _get_submitted_csrf_token(self, request: Request) -> str | None:
        header = request.headers.get(self.header_name)
        form_token: str | None = request.scope.get(FORM_TOKEN_KEY)
        return header or form_token

    async def send(self, message: Message, send: Send, scope: Scope) -> None:
        """Set the cookie to the token the page was rendered with (not a second, different one)."""
        if message["type"] == "http.response.start" and Request(scope).cookies.get(self.cookie_name) is None:
            headers = MutableHeaders(scope=message)
            cookie: http.cookies.BaseCookie[Any] = http.cookies.SimpleCookie()
            cookie[self.cookie_name] = scope[TOKEN_KEY]
            cookie[self.cookie_name]["path"] = self.cookie_path
            cookie[self.cookie_name]["secure"] = self.cookie_secure
            cookie[self.cookie_name]["httponly"] = self.cookie_httponly
            cookie[self.cookie_name]["samesite"] = self.cookie_samesite
            if self.cookie_domain is not None:
                cookie[self.cookie_name]["domain"] = self.cookie_domain
            headers.append("set-cookie", cookie.output(header="").strip())
        await send(message)
