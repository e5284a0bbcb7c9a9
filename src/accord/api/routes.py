"""/api/v1 endpoints for clients, cases, events and messages."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Response
from sqlalchemy.orm import Session

from accord.cases import facts
from accord.cases import service as cases
from accord.cases.schemas import AssignIn, CaseFilter, CaseIn, CaseOut, EventOut, FactsIn, MoveIn
from accord.clients import service as clients
from accord.clients.schemas import ClientIn, ClientOut
from accord.http.deps import Caller, db_session, get_caller
from accord.http.params import RowId
from accord.intake import service as intake
from accord.intake.schemas import MessageIn, MessageOut
from accord.offers import firmness
from accord.offers.schemas import CaseFirmnessOut, FirmnessOut
from accord.users import service as users

router = APIRouter(prefix="/api/v1")


@router.get("/clients", response_model=list[ClientOut], tags=["clients"])
def list_clients(db: Session = db_session, caller: Caller = Depends(get_caller)) -> list[ClientOut]:
    """All clients of the workspace."""
    rows = clients.list_clients(db, actor=caller.actor, workspace_id=caller.workspace.id)
    return [ClientOut.model_validate(c) for c in rows]


@router.post("/clients", response_model=ClientOut, status_code=201, tags=["clients"])
def add_client(body: ClientIn, db: Session = db_session, caller: Caller = Depends(get_caller)) -> ClientOut:
    """Add a client with onboarding expectations and contract terms (P1)."""
    client = clients.add_client(db, actor=caller.actor, workspace_id=caller.workspace.id, **body.model_dump())
    return ClientOut.model_validate(client)


@router.get("/clients/{client_id}", response_model=ClientOut, tags=["clients"])
def get_client(client_id: RowId, db: Session = db_session, caller: Caller = Depends(get_caller)) -> ClientOut:
    """One client."""
    client = clients.get_client(db, actor=caller.actor, workspace_id=caller.workspace.id, key=client_id)
    return ClientOut.model_validate(client)


@router.get("/cases", response_model=list[CaseOut], tags=["cases"])
def list_cases(
    response: Response,
    status: str | None = Query(None, max_length=40),
    severity: int | None = Query(None, ge=1, le=4),
    category: str | None = Query(None, max_length=40),
    q: str | None = Query(None, max_length=200),
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=1_000_000),
    after: str | None = Query(None, max_length=60, description="The X-Next-Cursor of the page before"),
    db: Session = db_session,
    caller: Caller = Depends(get_caller),
) -> list[CaseOut]:
    """One page of cases, newest first; follow `X-Next-Cursor` (as `after`) for the next page."""
    flt = CaseFilter(status=status, severity=severity, category=category, search=q)
    rows = cases.list_cases(
        db,
        actor=caller.actor,
        workspace_id=caller.workspace.id,
        flt=flt,
        limit=limit,
        offset=offset,
        after=after,
    )
    if len(rows) == limit:
        response.headers["X-Next-Cursor"] = cases.encode_cursor(rows[-1].created_at, rows[-1].id)
    return cases.describe_cases(db, rows)


@router.post("/cases", response_model=CaseOut, status_code=201, tags=["cases"])
def open_case(body: CaseIn, db: Session = db_session, caller: Caller = Depends(get_caller)) -> CaseOut:
    """Open a case, optionally with the client's first message (P3)."""
    client = clients.get_client(db, actor=caller.actor, workspace_id=caller.workspace.id, key=body.client)
    case, _ = intake.open_case_from_message(
        db,
        actor=caller.actor,
        client=client,
        title=body.title,
        body=body.text,
        channel=body.channel,
        kind=body.kind,
        severity=body.severity,
        category=body.category or None,
    )
    return cases.describe_case(db, case)


@router.get("/cases/{reference}", response_model=CaseFirmnessOut, tags=["cases"])
def get_case(
    reference: str, db: Session = db_session, caller: Caller = Depends(get_caller)
) -> CaseFirmnessOut:
    """One case, with haggling, its evidence and the remain-firm guidance (P20)."""
    case = caller.case(db, reference)
    out = cases.describe_case(db, case)
    found = FirmnessOut.model_validate(firmness.case_firmness(db, case=case))
    return CaseFirmnessOut(**out.model_dump(), firmness=found)


@router.post("/cases/{reference}/move", response_model=CaseOut, tags=["cases"])
def move_case(
    reference: str, body: MoveIn, db: Session = db_session, caller: Caller = Depends(get_caller)
) -> CaseOut:
    """Move a case along its lifecycle; illegal moves answer 409 with the allowed states."""
    case = caller.case(db, reference)
    cases.move_case(
        db,
        actor=caller.actor,
        case=case,
        status=body.status,
        note=body.note,
        root_cause=body.root_cause,
        what_we_change=body.what_we_change,
    )
    return cases.describe_case(db, case)


@router.post("/cases/{reference}/assign", response_model=CaseOut, tags=["cases"])
def assign_case(
    reference: str, body: AssignIn, db: Session = db_session, caller: Caller = Depends(get_caller)
) -> CaseOut:
    """Name the spokesperson (P7)."""
    case = caller.case(db, reference)
    owner = users.get_user_by_email(db, workspace_id=caller.workspace.id, email=body.owner_email)
    cases.assign_case(db, actor=caller.actor, case=case, owner=owner, reason=body.reason)
    return cases.describe_case(db, case)


@router.post("/cases/{reference}/facts", response_model=CaseOut, tags=["cases"])
def update_facts(
    reference: str, body: FactsIn, db: Session = db_session, caller: Caller = Depends(get_caller)
) -> CaseOut:
    """Set or correct the case's facts; fields left out stay. Changing the severity needs
    `severity_reason` (P4); every changed fact is one timeline event; nothing changed answers 422."""
    case = caller.case(db, reference)
    facts.update_facts(db, actor=caller.actor, case=case, change=body)
    return cases.describe_case(db, case)


@router.get("/cases/{reference}/events", response_model=list[EventOut], tags=["cases"])
def list_events(
    reference: str, db: Session = db_session, caller: Caller = Depends(get_caller)
) -> list[EventOut]:
    """The case's timeline."""
    case = caller.case(db, reference)
    return [EventOut.model_validate(e) for e in cases.list_events(db, actor=caller.actor, case=case)]


@router.get("/cases/{reference}/messages", response_model=list[MessageOut], tags=["messages"])
def list_messages(
    reference: str, db: Session = db_session, caller: Caller = Depends(get_caller)
) -> list[MessageOut]:
    """The case's messages."""
    case = caller.case(db, reference)
    return [MessageOut.model_validate(m) for m in intake.view_messages(db, actor=caller.actor, case=case)]


@router.post("/cases/{reference}/messages", response_model=MessageOut, status_code=201, tags=["messages"])
def add_message(
    reference: str, body: MessageIn, db: Session = db_session, caller: Caller = Depends(get_caller)
) -> MessageOut:
    """Record an inbound client message on a case (P3)."""
    case = caller.case(db, reference)
    message = intake.add_inbound_message(
        db,
        actor=caller.actor,
        case=case,
        body=body.body,
        channel=body.channel,
        sender=body.sender,
        subject=body.subject,
    )
    return MessageOut.model_validate(message)
