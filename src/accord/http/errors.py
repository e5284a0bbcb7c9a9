"""Render Accord errors per surface: JSON for /api, a readable page elsewhere (rule 5).

Every API error body has the same shape, `{"error": code, "detail": ...}`: Accord's own errors, bad
input (422), Starlette's own answers (404 unknown route, 405, 400 unreadable body) and database trouble
(503, naming the cause: busy, disk full, read-only, unreachable; logged for the operator).
"""

from __future__ import annotations

import logging
from html import escape
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from sqlalchemy.exc import IntegrityError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from accord.db import database_problem, is_duplicate
from accord.errors import AccordError

log = logging.getLogger("accord.api")


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _render(request: Request, status: int, code: str, detail: object, message: str) -> Response:
    if _wants_json(request):
        return JSONResponse({"error": code, "detail": detail}, status_code=status)
    body = (
        f"<!doctype html><title>Accord: {escape(code)}</title><main><h1>Something is not right"
        f"</h1><p>{escape(message)}</p><p><a href='/'>Back to the queue</a></p></main>"
    )
    return HTMLResponse(body, status_code=status)


def _status_code_name(status: int) -> str:
    try:
        return HTTPStatus(status).phrase.lower().replace(" ", "_").replace("-", "_")
    except ValueError:
        return "error"


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers that turn exceptions into responses."""

    @app.exception_handler(AccordError)
    async def _accord(request: Request, exc: AccordError) -> Response:
        return _render(request, exc.status, exc.code, exc.detail, exc.message)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        errors = [{"loc": list(e.get("loc", [])), "msg": str(e.get("msg", ""))} for e in exc.errors()]
        return _render(request, 422, "invalid", errors, "Some of the input is not valid.")

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if not _wants_json(request):  # pages: redirects to /login and htmx answers keep their headers
            return await http_exception_handler(request, exc)
        body = {"error": _status_code_name(exc.status_code), "detail": exc.detail}
        return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(IntegrityError)
    async def _duplicate(request: Request, exc: IntegrityError) -> Response:
        if not is_duplicate(exc):  # any other refused write is a server fault: 500, logged
            log.error("%s %s failed: %s", request.method, request.url.path, str(exc.orig)[:300])
            message = "The change could not be saved; nothing was written."
            return _render(request, 500, "internal_error", message, message)
        message = "This conflicts with a record that already exists (a duplicate name or key)."
        return _render(request, 409, "conflict", message, message)

    @app.exception_handler(OperationalError)
    async def _db_down(request: Request, exc: OperationalError) -> Response:
        problem = database_problem(exc)
        log.warning(
            "%s %s answered 503 (%s): %s", request.method, request.url.path, problem.code, str(exc.orig)[:300]
        )
        return _render(request, 503, "unavailable", problem.message, problem.message)
