"""Clients and contacts: the only writer. P1: onboarding terms live on the client record."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from sqlalchemy.orm import Session

from accord.clients import repository
from accord.clients.models import CLIENT_STATUSES, TIERS, Client, Contact
from accord.clock import now
from accord.db import MAX_ID
from accord.errors import Conflict, Invalid, NotFound
from accord.text import clean_text, name_key
from accord.users import service as users
from accord.users.access import ActorLike, require_role, require_same_workspace, require_write

_DOMAIN = re.compile(r"^[a-z0-9.-]+\.[a-z]{2,}$")
LONG_TEXT = 20_000


def _domains(values: list[str]) -> list[str]:
    domains = [v.strip().lower().lstrip("@") for v in values if v.strip()]
    for domain in domains:
        if not _DOMAIN.match(domain):
            raise Invalid(f"'{domain}' is not an email domain like example.com.")
    return domains


def _require_member(db: Session, *, workspace_id: int, user_id: int) -> None:
    """P7: the default spokesperson must be a member of the workspace."""
    try:
        users.get_user(db, workspace_id=workspace_id, user_id=user_id)
    except NotFound:
        raise Invalid(f"No team member with id {user_id} to be the client's spokesperson.") from None


def _money(value: Decimal | float | str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except InvalidOperation as exc:
        raise Invalid(f"Monthly value '{value}' is not a number.") from exc
    if amount < 0 or amount > Decimal("1e9"):
        raise Invalid("Monthly value must be between 0 and 1,000,000,000.")
    return amount


def add_client(
    db: Session,
    *,
    actor: ActorLike | None,
    workspace_id: int,
    name: str,
    email_domains: list[str] | None = None,
    monthly_value: Decimal | float | str = 0,
    hourly_rate: Decimal | float | str = 0,
    tier: str = "standard",
    expectations: str = "",
    contract_summary: str = "",
    termination_terms: str = "",
    insurance_notes: str = "",
    default_spokesperson_id: int | None = None,
) -> Client:
    """Record a client and the expectations and contract agreed at onboarding (P1)."""
    require_write(actor)
    name = clean_text(name, field="Client name", max_chars=200, required=True)
    if tier not in TIERS:
        raise Invalid(f"Unknown tier '{tier}'. Tiers: {', '.join(TIERS)}.")
    existing = repository.client_by_name(db, workspace_id, name)
    if existing is not None:
        raise Conflict(f"A client named {existing.name} already exists (names ignore case and spacing).")
    if default_spokesperson_id is not None:
        _require_member(db, workspace_id=workspace_id, user_id=default_spokesperson_id)
    client = Client(
        workspace_id=workspace_id,
        name=name,
        name_key=name_key(name),
        email_domains=_domains(email_domains or []),
        monthly_value=_money(monthly_value),
        hourly_rate=_money(hourly_rate),
        tier=tier,
        expectations=clean_text(expectations, field="Expectations", max_chars=LONG_TEXT),
        contract_summary=clean_text(contract_summary, field="Contract", max_chars=LONG_TEXT),
        termination_terms=clean_text(termination_terms, field="Termination terms", max_chars=LONG_TEXT),
        insurance_notes=clean_text(insurance_notes, field="Insurance notes", max_chars=LONG_TEXT),
        default_spokesperson_id=default_spokesperson_id,
    )
    db.add(client)
    db.flush()  # a concurrent add of the same key loses at the unique index: a 409 from the surface
    return client


def add_contact(
    db: Session,
    *,
    actor: ActorLike | None,
    client: Client,
    name: str,
    email: str = "",
    phone: str = "",
    role: str = "",
) -> Contact:
    """Add a person at the client."""
    require_write(actor)
    contact = Contact(
        client_id=client.id,
        name=clean_text(name, field="Contact name", max_chars=200, required=True),
        email=clean_text(email, field="Contact email", max_chars=320).lower(),
        phone=clean_text(phone, field="Phone", max_chars=50),
        role=clean_text(role, field="Role", max_chars=100),
    )
    db.add(contact)
    db.flush()
    return contact


def set_client_status(db: Session, *, actor: ActorLike | None, client: Client, status: str) -> Client:
    """Mark a client active, at risk, or ended (P21: toxic relationships may be ended)."""
    require_write(actor)
    if status not in CLIENT_STATUSES:
        raise Invalid(f"Unknown client status '{status}'. Statuses: {', '.join(CLIENT_STATUSES)}.")
    client.status = status
    db.flush()
    return client


def mark_client_toxic(db: Session, *, actor: ActorLike | None, client: Client, toxic: bool = True) -> Client:
    """P21: flag (or unflag) a relationship as harmful, so every case with the client shows the way out."""
    require_role(actor, ("owner", "lead"), "mark a client relationship toxic")
    client.toxic = toxic
    db.flush()
    return client


def record_client_ended(db: Session, *, actor: ActorLike | None, client: Client, reason: str) -> Client:
    """P21: the relationship ended, why and when (the offers domain runs the exit and calls this)."""
    require_role(actor, ("owner",), "end a client relationship")
    client.status = "ended"
    client.ended_reason = clean_text(reason, field="Reason", max_chars=LONG_TEXT, required=True)
    client.ended_at = now()
    db.flush()
    return client


def list_clients(db: Session, *, actor: ActorLike | None, workspace_id: int) -> list[Client]:
    """Clients of the workspace, by name."""
    return repository.clients_in(db, workspace_id)


def get_client(db: Session, *, actor: ActorLike | None, workspace_id: int, key: str | int) -> Client:
    """A client by id or by name; clients of other workspaces do not exist for the actor."""
    client: Client | None
    if isinstance(key, int) or str(key).isdigit():
        client = repository.client_by_id(db, int(key)) if 1 <= int(key) <= MAX_ID else None
    else:
        client = repository.client_by_name(db, workspace_id, str(key))
    if client is None or client.workspace_id != workspace_id:  # elsewhere reads exactly like missing
        raise NotFound(f"No client '{key}'.")
    require_same_workspace(actor, client.workspace_id, "Client")
    return client


def find_client_for_sender(db: Session, *, workspace_id: int, email: str) -> Client | None:
    """Match an inbound sender to a client by contact email, then by email domain (P3)."""
    email = email.strip().lower()
    contact = repository.contact_by_email(db, workspace_id, email)
    if contact is not None:
        return contact.client
    domain = email.rsplit("@", 1)[-1]
    for client in repository.clients_in(db, workspace_id):
        if domain in (client.email_domains or []):
            return client
    return None
