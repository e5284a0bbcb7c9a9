"""/api/v1/intake: post a raw RFC 822 email; it opens a case or joins its thread (P3)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, Depends
from fastapi.responses import Response
from sqlalchemy.orm import Session

from accord.clients import service as clients
from accord.errors import Invalid
from accord.http.deps import Caller, db_session, get_caller
from accord.http.files import attachment_response
from accord.http.params import RowId
from accord.intake import service as intake
from accord.intake.schemas import MovedOut, MoveIn, ReceivedOut
from accord.users.access import require_write

router = APIRouter(prefix="/api/v1/intake", tags=["intake"])
MAX_RAW_BYTES = 25 * 1024 * 1024


@router.post("/email", response_model=ReceivedOut)
def post_email(
    raw: bytes = Body(..., media_type="message/rfc822"),
    db: Session = db_session,
    caller: Caller = Depends(get_caller),
) -> ReceivedOut:
    """Store one raw email (body: message/rfc822); the same email twice is stored once."""
    require_write(caller.actor)
    if len(raw) > MAX_RAW_BYTES:
        raise Invalid(f"The email is {len(raw)} bytes; the limit is {MAX_RAW_BYTES}.")
    message = intake.receive_email(db, workspace_id=caller.workspace.id, raw=raw)
    case = intake.case_of_message(db, message=message)
    return ReceivedOut(message_id=message.id, case=case.reference, problems=message.parse_error)


@router.get("/unmatched")
def unmatched(db: Session = db_session, caller: Caller = Depends(get_caller)) -> dict[str, Any]:
    """The Unmatched queue: cases from unknown senders and machine mail that answers nothing (P3)."""
    return intake.unmatched_queue(db, actor=caller.actor, workspace_id=caller.workspace.id)


@router.post("/cases/{reference}/client", response_model=MovedOut)
def move_case_to_client(
    reference: str, body: MoveIn, db: Session = db_session, caller: Caller = Depends(get_caller)
) -> MovedOut:
    """Move a case (usually from the Unmatched queue) to its client; its senders become contacts (P3)."""
    case = caller.case(db, reference)
    client = clients.get_client(db, actor=caller.actor, workspace_id=caller.workspace.id, key=body.client)
    intake.move_to_client(db, actor=caller.actor, case=case, client=client)
    return MovedOut(case=case.reference, client=client.name)


@router.get("/attachments/{attachment_id}")
def download_attachment(
    attachment_id: RowId, db: Session = db_session, caller: Caller = Depends(get_caller)
) -> Response:
    """An attachment's bytes, always as a download (never rendered), for signed-in callers only."""
    row, data = intake.get_attachment(
        db, actor=caller.actor, workspace_id=caller.workspace.id, attachment_id=attachment_id
    )
    return attachment_response(row.filename, data)
