"""The ASGI application: API, web pages and static files behind one error style."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from accord import __version__
from accord.api.cadence import router as cadence_router
from accord.api.coach import router as coach_router
from accord.api.insights import router as insights_router
from accord.api.intake import router as intake_router
from accord.api.offers import router as offers_router
from accord.api.ops import router as ops_router
from accord.api.playbook import router as playbook_router
from accord.api.routes import router as api_router
from accord.api.search import router as search_api_router
from accord.api.triage import router as triage_router
from accord.http.errors import install_error_handlers
from accord.ops.logs import configure_from_environment
from accord.ops.middleware import RequestContext
from accord.web.auth import router as auth_router
from accord.web.client_links import router as confirm_router
from accord.web.error_pages import install_page_errors
from accord.web.routes import router as web_router
from accord.web.search import router as search_page_router
from accord.web.security import install_security

STATIC_DIR = Path(__file__).parent / "static"


def create_app() -> FastAPI:
    """Build the app; used by `accord serve` and by tests."""
    configure_from_environment()
    app = FastAPI(
        title="Accord",
        version=__version__,
        openapi_url="/api/openapi.json",
        docs_url=None,  # /api/docs is served from static/swagger-ui by accord.web.api_docs (no CDN)
        redoc_url=None,
    )
    install_error_handlers(app)
    install_page_errors(app)  # styled HTML error pages for the browser; /api keeps its JSON
    install_security(app)
    app.add_middleware(RequestContext)  # added last: outermost, so every reply carries X-Request-ID
    app.include_router(ops_router)
    app.include_router(auth_router)
    app.include_router(api_router)
    app.include_router(insights_router)
    app.include_router(playbook_router)
    app.include_router(coach_router)
    app.include_router(cadence_router)
    app.include_router(intake_router)
    app.include_router(offers_router)
    app.include_router(triage_router)
    app.include_router(search_api_router)
    app.include_router(search_page_router)
    app.include_router(confirm_router)
    app.include_router(web_router)
    STATIC_DIR.mkdir(exist_ok=True)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app
