"""Web pages: parse, check access, call the services, render (one router for app.py)."""

from __future__ import annotations

from fastapi import APIRouter

from accord.web import call_mode, case_pages, confirmation_requests, library, mail, offers, queue, reply

router = APIRouter(include_in_schema=False)
for _module in (queue, case_pages, reply, offers, call_mode, confirmation_requests, library, mail):
    router.include_router(_module.router)
