"""Render Accord errors per surface: JSON for /api, a readable page elsewhere (rule 5)."""

from __future__ import annotations

from html import escape

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from sqlalchemy.exc import OperationalError

from accord.errors import AccordError


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


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers that turn exceptions into responses."""

    @app.exception_handler(AccordError)
    async def _accord(request: Request, exc: AccordError) -> Response:
        return _render(request, exc.status, exc.code, exc.detail, exc.message)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        errors = [{"loc": list(e.get("loc", [])), "msg": str(e.get("msg", ""))} for e in exc.errors()]
        return _render(request, 422, "invalid", errors, "Some of the input is not valid.")

    @app.exception_handler(OperationalError)
    async def _db_down(request: Request, exc: OperationalError) -> Response:
        return _render(
            request,
            503,
            "unavailable",
            "The database is not reachable; try again.",
            "The database is not reachable right now. Please try again in a moment.",
        )
