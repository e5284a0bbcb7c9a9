"""Per-request context: a request id (echoed in X-Request-ID and put on every log line), the latency
histogram by route template, and one JSON access-log line per request."""

from __future__ import annotations

import logging
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from accord.ops.logs import clean_request_id, request_id
from accord.ops.metrics import REQUEST_SECONDS

access_log = logging.getLogger("accord.access")


def route_template(scope: Scope) -> str:
    """`/cases/{reference}`, not `/cases/ACC-1042`: one time series per route, never one per case."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    if path:
        return str(path)
    return "/static" if str(scope.get("path", "")).startswith("/static/") else "(no route)"


class RequestContext:
    """Pure ASGI middleware (no BaseHTTPMiddleware: streaming replies and background tasks stay intact)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Tag the request, time it, log it."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        rid = clean_request_id(headers.get(b"x-request-id", b"").decode("latin-1"))
        token = request_id.set(rid)
        started = time.perf_counter()
        status = {"code": 500}
        recorded = [False]

        def record() -> None:
            if not recorded[0]:
                recorded[0] = True
                self._record(scope, rid, status["code"], time.perf_counter() - started)

        async def tagged_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                message["headers"] = [*message.get("headers", []), (b"x-request-id", rid.encode())]
            elif message["type"] == "http.response.body" and not message.get("more_body", False):
                # Recorded before the last byte leaves: a scrape sent after the reply arrives (to any
                # process under `serve --workers N`) already counts it.
                record()
            await send(message)

        try:
            await self.app(scope, receive, tagged_send)
        finally:
            record()  # a request that ended without a full reply (an error, a client gone) counts too
            request_id.reset(token)

    @staticmethod
    def _record(scope: Scope, rid: str, status: int, seconds: float) -> None:
        route = route_template(scope)
        REQUEST_SECONDS.labels(scope["method"], route, str(status)).observe(seconds)
        fields: dict[str, Any] = {
            "method": scope["method"],
            "path": scope.get("path", ""),
            "route": route,
            "status": status,
            "ms": round(seconds * 1000, 1),
            "request_id": rid,
        }
        access_log.info("%s %s %s", scope["method"], scope.get("path", ""), status, extra=fields)
