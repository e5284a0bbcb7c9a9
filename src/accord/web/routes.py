"""Web pages: parse, check access, call the services, render (one router for app.py)."""

from __future__ import annotations

from fastapi import APIRouter

from accord.web import (
    call_mode,
    case_pages,
    confirmation_requests,
    insights,
    library,
    mail,
    offers,
    queue,
    reply,
)
from accord.web import settings as settings_pages
from accord.web import team as team_pages
from accord.web.add_message import router as add_message_router
from accord.web.api_docs import router as api_docs_router
from accord.web.client_forms import router as client_forms_router
from accord.web.start import router as start_router
from accord.web.unmatched import router as unmatched_router

router = APIRouter(include_in_schema=False)
# Issue 20 (start work anywhere): first, so /cases/new and /clients/new win over /cases/{ref}, /clients/{key}.
for _router in (start_router, client_forms_router, add_message_router, unmatched_router, api_docs_router):
    router.include_router(_router)
for _module in (queue, case_pages, reply, offers, call_mode, confirmation_requests, library, mail, insights):
    router.include_router(_module.router)
for _module in (team_pages, settings_pages):  # issue 20: team and settings pages
    router.include_router(_module.router)
