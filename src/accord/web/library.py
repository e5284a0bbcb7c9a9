"""Client pages (P1, P9) and the playbook page with its exports (P2)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response
from sqlalchemy.orm import Session

from accord.cases import service as cases
from accord.cases.models import Case
from accord.clients import service as clients
from accord.http.deps import Caller
from accord.playbook import export
from accord.playbook import service as playbooks
from accord.web.deps import web_caller, web_db
from accord.web.render import page

router = APIRouter(include_in_schema=False)


def conflicts_by_month(history: list[Case]) -> dict[str, Any]:
    """Chart data: conflicts opened per month, stacked by severity (P24 at a glance)."""
    months = sorted({c.created_at.strftime("%Y-%m") for c in history})
    series = [
        {
            "label": f"Severity {level}",
            "data": [
                sum(1 for c in history if c.severity == level and c.created_at.strftime("%Y-%m") == m)
                for m in months
            ],
        }
        for level in (1, 2, 3, 4)
    ]
    return {"labels": months, "series": series}


@router.get("/clients", response_class=HTMLResponse)
def client_list(request: Request, db: Session = web_db, caller: Caller = Depends(web_caller)) -> HTMLResponse:
    """Every client with its tier and value."""
    rows = clients.list_clients(db, actor=caller.actor, workspace_id=caller.workspace.id)
    return page(request, "clients.html", {"caller": caller, "active": "clients", "clients": rows})


@router.get("/clients/{key}", response_class=HTMLResponse)
def client_page(
    request: Request, key: str, db: Session = web_db, caller: Caller = Depends(web_caller)
) -> HTMLResponse:
    """One client: what was agreed (P1), contacts, and every conflict so far (P9)."""
    client = clients.get_client(db, actor=caller.actor, workspace_id=caller.workspace.id, key=key)
    history = cases.client_history(db, client_id=client.id)
    context = {
        "caller": caller,
        "active": "clients",
        "client": client,
        "history": history,
        "chart": conflicts_by_month(history),
    }
    return page(request, "client.html", context)


@router.get("/playbook", response_class=HTMLResponse)
def playbook_page(
    request: Request, db: Session = web_db, caller: Caller = Depends(web_caller)
) -> HTMLResponse:
    """The plan the whole team follows, readable by everyone (P2)."""
    playbook = playbooks.active_playbook(db, workspace_id=caller.workspace.id)
    phases = export.PHASE_TITLES.items()
    groups = [(title, [s for s in playbook.steps if s.phase == phase]) for phase, title in phases]
    context = {
        "caller": caller,
        "active": "playbook",
        "p": playbook,
        "groups": [g for g in groups if g[1]],
        "pdf": export.find_chromium() is not None,
    }
    return page(request, "playbook.html", context)


@router.get("/playbook/export.{fmt}")
def playbook_export(fmt: str, db: Session = web_db, caller: Caller = Depends(web_caller)) -> Response:
    """Download the playbook as Markdown, HTML or PDF (P2)."""
    playbook = playbooks.active_playbook(db, workspace_id=caller.workspace.id)
    name = f"playbook-{playbook.version}.{fmt}"
    disposition = {"Content-Disposition": f'attachment; filename="{name}"'}
    if fmt == "pdf":
        with tempfile.TemporaryDirectory() as tmp:
            data = export.to_pdf(playbook, Path(tmp) / name).read_bytes()
        return Response(data, media_type="application/pdf", headers=disposition)
    text = export.render(playbook, fmt)
    if fmt == "html":
        return HTMLResponse(text, headers=disposition)
    return PlainTextResponse(text, media_type="text/markdown; charset=utf-8", headers=disposition)
