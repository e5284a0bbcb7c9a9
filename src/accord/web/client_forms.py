"""Add and edit clients in the browser: what was agreed (P1), contacts and email domains (issue 20).

Bookmarkable: /clients/new and /clients/{id}/edit. A refused field comes back beside its input with
everything typed kept (422, or 409 for a name already taken); nothing is written until all is valid.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from accord.clients import service as clients
from accord.clients.models import TIERS, Client
from accord.clients.schemas import ClientForm, ContactIn
from accord.http.deps import Caller
from accord.http.params import RowId
from accord.web.deps import web_caller, web_db
from accord.web.forms import Outcome, attempt
from accord.web.render import page

router = APIRouter(include_in_schema=False)

LABELS = {
    "Client name": "name",
    "Tier": "tier",
    "Monthly value": "monthly_value",
    "Hourly rate": "hourly_rate",
    "Email domains": "email_domains",
    "Expectations": "expectations",
    "Contract": "contract_summary",
    "Termination terms": "termination_terms",
    "Insurance notes": "insurance_notes",
    "Contact name": "contacts",
    "Contact email": "contacts",
    "Phone": "contacts",
    "Role": "contacts",
}
BLANK_ROWS = 2  # empty contact rows the form always offers


def _form_of(client: Client) -> ClientForm:
    contacts = [
        ContactIn(id=c.id, name=c.name, email=c.email, phone=c.phone, role=c.role) for c in client.contacts
    ]
    return ClientForm(
        name=client.name,
        tier=client.tier,
        monthly_value=f"{client.monthly_value:.2f}",
        hourly_rate=f"{client.hourly_rate:.2f}",
        email_domains=", ".join(client.email_domains or []),
        expectations=client.expectations,
        contract_summary=client.contract_summary,
        termination_terms=client.termination_terms,
        insurance_notes=client.insurance_notes,
        contacts=contacts,
    )


def _render(
    request: Request, caller: Caller, form: ClientForm, client: Client | None, outcome: Outcome
) -> HTMLResponse:
    rows = [*form.contacts, *(ContactIn() for _ in range(BLANK_ROWS))]
    context: dict[str, Any] = {
        "caller": caller,
        "active": "clients",
        "values": form,
        "contacts": rows,
        "client": client,
        "tiers": TIERS,
        "errors": outcome.errors,
        "action": f"/clients/{client.id}/edit" if client else "/clients/new",
    }
    return page(request, "client_form.html", context, status_code=outcome.status)


def _contacts(
    ids: list[str], names: list[str], emails: list[str], phones: list[str], roles: list[str]
) -> list[ContactIn]:
    """The contact rows as sent (columns of equal length; a missing cell is blank)."""
    width = max(len(ids), len(names), len(emails), len(phones), len(roles))

    def cell(column: list[str], i: int) -> str:
        return column[i][:320] if i < len(column) else ""

    rows = []
    for i in range(width):
        raw_id = cell(ids, i)
        contact_id = int(raw_id) if raw_id.isdigit() and len(raw_id) < 18 else None
        rows.append(
            ContactIn(
                id=contact_id,
                name=cell(names, i)[:200],
                email=cell(emails, i),
                phone=cell(phones, i)[:50],
                role=cell(roles, i)[:100],
            )
        )
    return rows


def _client_form(
    name: str = Form(""),
    tier: str = Form("standard"),
    monthly_value: str = Form("0"),
    hourly_rate: str = Form("0"),
    email_domains: str = Form(""),
    expectations: str = Form(""),
    contract_summary: str = Form(""),
    termination_terms: str = Form(""),
    insurance_notes: str = Form(""),
    contact_id: list[str] = Form([]),
    contact_name: list[str] = Form([]),
    contact_email: list[str] = Form([]),
    contact_phone: list[str] = Form([]),
    contact_role: list[str] = Form([]),
) -> ClientForm:
    """The posted form as typed (the service checks every field)."""
    return ClientForm(
        name=name,
        tier=tier,
        monthly_value=monthly_value[:40],
        hourly_rate=hourly_rate[:40],
        email_domains=email_domains[:2000],
        expectations=expectations,
        contract_summary=contract_summary,
        termination_terms=termination_terms,
        insurance_notes=insurance_notes,
        contacts=_contacts(contact_id, contact_name, contact_email, contact_phone, contact_role)[:200],
    )


@router.get("/clients/new", response_class=HTMLResponse)
def new_client_page(request: Request, caller: Caller = Depends(web_caller)) -> HTMLResponse:
    """An empty client form."""
    return _render(request, caller, ClientForm(), None, Outcome())


@router.post("/clients/new", response_model=None)
def create_client(
    request: Request,
    form: ClientForm = Depends(_client_form),
    db: Session = web_db,
    caller: Caller = Depends(web_caller),
) -> Response:
    """Add the client and go to its page; a refused field comes back beside its input."""
    outcome = attempt(
        db,
        lambda: clients.save_client(
            db, actor=caller.actor, workspace_id=caller.workspace.id, client=None, form=form
        ),
        LABELS,
    )
    if not outcome:
        return _render(request, caller, form, None, outcome)
    return Response(status_code=303, headers={"Location": f"/clients/{outcome.result.id}"})


@router.get("/clients/{client_id}/edit", response_class=HTMLResponse)
def edit_client_page(
    request: Request, client_id: RowId, db: Session = web_db, caller: Caller = Depends(web_caller)
) -> HTMLResponse:
    """The client's form, filled in."""
    client = clients.get_client(db, actor=caller.actor, workspace_id=caller.workspace.id, key=client_id)
    return _render(request, caller, _form_of(client), client, Outcome())


@router.post("/clients/{client_id}/edit", response_model=None)
def update_client(
    request: Request,
    client_id: RowId,
    form: ClientForm = Depends(_client_form),
    db: Session = web_db,
    caller: Caller = Depends(web_caller),
) -> Response:
    """Save the corrections; a refused field comes back beside its input and nothing changes."""
    client = clients.get_client(db, actor=caller.actor, workspace_id=caller.workspace.id, key=client_id)
    outcome = attempt(
        db,
        lambda: clients.save_client(
            db, actor=caller.actor, workspace_id=caller.workspace.id, client=client, form=form
        ),
        LABELS,
    )
    if not outcome:
        db.refresh(client)
        return _render(request, caller, form, client, outcome)
    return Response(status_code=303, headers={"Location": f"/clients/{client.id}"})
