"""Styled error pages for the browser; the API keeps its JSON (rule 5, issue 20 item 7).

`install_page_errors(app)` wraps the handlers `accord.http.errors` installed: a request under /api/
gets exactly what it got before; a page request gets `error.html` (the app's header, a sentence in the
user's words via `cases.wording.plain_error`, a way back) with the same status. Redirects to /login
and htmx's 204 + HX-Redirect pass through untouched. An unexpected exception becomes a styled 500
page (JSON for the API), logged with its traceback, never shown.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import IntegrityError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from accord.cases.wording import plain_error
from accord.db import database_problem, is_duplicate
from accord.errors import AccordError
from accord.web.render import page

log = logging.getLogger("accord.web")

Handler = Callable[[Request, Any], Response | Awaitable[Response]]
PageHandler = Callable[[Request, Any], Awaitable[Response]]

HEADINGS = {
    400: "That request could not be read",
    401: "Please sign in",
    403: "You cannot do that",
    404: "Page not found",
    405: "That does not work here",
    409: "That cannot be done now",
    413: "That is too large",
    422: "Check what was entered",
    429: "Too many tries",
    500: "Something went wrong on our side",
    503: "Accord cannot reach its database",
}
MESSAGES = {
    400: "The browser sent something Accord could not read. Go back and try again.",
    403: "Your role does not allow this. Ask an owner if you need it.",
    404: (
        "There is nothing at this address. It may have been mistyped, "
        "or the case or client is not in your workspace."
    ),
    405: "This address does not take that kind of request. Go back and use the page's buttons.",
    422: "Some of the input is not valid. Go back, check the fields and try again.",
    500: (
        "Nothing you did caused this, and nothing was half-saved. "
        "Try again; if it happens again, tell whoever runs Accord."
    ),
}


def is_api(request: Request) -> bool:
    """API requests keep their JSON errors."""
    return request.url.path.startswith("/api/")


def error_page(request: Request, status: int, message: str) -> Response:
    """The styled error page (a full page: the header and a way back to the queue)."""
    heading = HEADINGS.get(status, "Something is not right")
    referer = request.headers.get("referer", "")
    back = referer if referer.startswith(str(request.base_url)) else ""
    context = {"status": status, "heading": heading, "message": message, "back": back, "caller": None}
    return page(request, "error.html", context, status_code=status)


def _message(exc: Exception, status: int) -> str:
    if isinstance(exc, AccordError):
        return plain_error(exc.code, exc.detail, exc.message)
    if isinstance(exc, OperationalError):
        return database_problem(exc).message
    if isinstance(exc, IntegrityError) and is_duplicate(exc):
        return "This conflicts with a record that already exists (a duplicate name or key)."
    return MESSAGES.get(
        status, MESSAGES[500] if status >= 500 else "That did not work. Go back and try again."
    )


def _for_pages(api_handler: Handler) -> PageHandler:
    """Keep the API's handler; give page requests the styled page for any error status."""

    async def handle(request: Request, exc: Any) -> Response:
        answered = api_handler(request, exc)
        response = await answered if inspect.isawaitable(answered) else answered
        if is_api(request) or response.status_code < 400 or response.status_code == 401:
            return response
        return error_page(request, response.status_code, _message(exc, response.status_code))

    return handle


async def _unexpected(request: Request, exc: Exception) -> Response:
    """A bug: logged with its traceback for the operator; the user sees a calm page (or JSON)."""
    log.error("%s %s failed", request.method, request.url.path, exc_info=exc)
    if is_api(request):
        return JSONResponse({"error": "internal_error", "detail": MESSAGES[500]}, status_code=500)
    return error_page(request, 500, MESSAGES[500])


def install_page_errors(app: FastAPI) -> None:
    """Call after `install_error_handlers(app)`: wraps its handlers and adds the 500 page."""
    for kind in (
        AccordError,
        RequestValidationError,
        StarletteHTTPException,
        IntegrityError,
        OperationalError,
    ):
        api_handler = app.exception_handlers.get(kind)
        if api_handler is not None:
            app.add_exception_handler(kind, _for_pages(api_handler))
    app.add_exception_handler(Exception, _unexpected)
