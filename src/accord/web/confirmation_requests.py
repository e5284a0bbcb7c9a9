"""Asking the client to confirm a resolution, or recording a yes given on a call (P23)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from accord.cadence import confirmation as confirm
from accord.http.deps import Caller
from accord.web.deps import web_caller, web_db
from accord.web.render import page, redirect

router = APIRouter(include_in_schema=False)


@router.post("/cases/{reference}/confirmation/request", response_class=HTMLResponse)
def request_confirmation(
    request: Request, reference: str, db: Session = web_db, caller: Caller = Depends(web_caller)
) -> HTMLResponse:
    """Send the client a single-use link to say whether it is solved; show the link to share it too."""
    case = caller.case(db, reference)
    base = str(request.base_url)  # the workspace's base URL wins over it (settings page)
    _confirmation, url = confirm.request_confirmation(
        db, actor=caller.actor, case=case, request_base_url=base
    )
    return page(request, "_confirm_link.html", {"case": case, "url": url})


@router.post("/cases/{reference}/confirmation/call")
def record_call_confirmation(
    request: Request,
    reference: str,
    note: str = Form(""),
    db: Session = web_db,
    caller: Caller = Depends(web_caller),
) -> Response:
    """The client said yes on a call: record it with a note."""
    case = caller.case(db, reference)
    confirm.record_call_confirmation(db, actor=caller.actor, case=case, note=note)
    return redirect(request, f"/cases/{case.reference}")
