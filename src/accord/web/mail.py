"""Mail on the case page: move an Unmatched case to its client, download attachments (P3, rule 8)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from accord.clients import service as clients
from accord.http.deps import Caller
from accord.http.files import attachment_response
from accord.http.params import RowId
from accord.intake import service as intake
from accord.web.deps import web_caller, web_db
from accord.web.render import redirect

router = APIRouter(include_in_schema=False)


@router.post("/cases/{reference}/client")
def move_to_client(
    request: Request,
    reference: str,
    client: str = Form(...),
    db: Session = web_db,
    caller: Caller = Depends(web_caller),
) -> Response:
    """Put the case on the chosen client; the senders become its contacts."""
    case = caller.case(db, reference)
    target = clients.get_client(db, actor=caller.actor, workspace_id=caller.workspace.id, key=client)
    intake.move_to_client(db, actor=caller.actor, case=case, client=target)
    return redirect(request, f"/cases/{case.reference}")


@router.get("/cases/{reference}/attachments/{attachment_id}")
def download(
    reference: str, attachment_id: RowId, db: Session = web_db, caller: Caller = Depends(web_caller)
) -> Response:
    """The file as a download for a signed-in member; it is never shown inline."""
    caller.case(db, reference)
    row, data = intake.get_attachment(
        db, actor=caller.actor, workspace_id=caller.workspace.id, attachment_id=attachment_id
    )
    return attachment_response(row.filename, data)
