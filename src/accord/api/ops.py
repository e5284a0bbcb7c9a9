"""GET /healthz, /readyz and /metrics: for load balancers, orchestrators and Prometheus (issue 23).

Unauthenticated on purpose (probes carry no login) and they reveal no data: /readyz names the failing
part and why, /metrics gives counts only. Put them behind the proxy's allow-list if that is too much.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response

from accord.config import get_settings
from accord.db import get_engine
from accord.ops import checks, metrics

router = APIRouter(include_in_schema=False)


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The process is up and answering; nothing else is checked (a liveness probe)."""
    return {"status": "ok"}


@router.get("/readyz")
def readyz() -> JSONResponse:
    """200 when the database answers, migrations are at head and the queue answers; 503 with the reason."""
    settings = get_settings()
    findings = checks.readiness(get_engine(), settings)
    failed = [f for f in findings if not f.ok]
    body = {
        "status": "ready" if not failed else "not ready",
        "checks": {f.name: {"ok": f.ok, "detail": f.detail} for f in findings},
        "reason": "; ".join(f"{f.name}: {f.detail}" for f in failed),
    }
    return JSONResponse(body, status_code=503 if failed else 200)


@router.get("/metrics")
def prometheus_metrics() -> Response:
    """Prometheus text format: request latency by route, queue depth and the backlogs."""
    return Response(metrics.render(get_engine(), get_settings()), media_type=metrics.CONTENT_TYPE)
