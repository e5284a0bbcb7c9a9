"""Clients and contacts: the only writer. P1: onboarding terms live on the client record."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from sqlalchemy.orm import Session

from accord.clients import repository
from accord.clients.models import CLIENT_STATUSES, TIERS, Client, Contact
from accord.clients.schemas import ClientForm, ContactIn
from accord.clock import now
from accord.db import MAX_ID
from accord.errors import Conflict, Invalid, NotFound
from accord.text import clean_text, name_key
from accord.users import service as users
from accord.users.access import ActorLike, require_role, require_same_workspace, require_write

_DOMAIN = re.compile(r"^[a-z0-9.-]+\.[a-z]{2,}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
LONG_TEXT = 20_000


def _domains(values: list[str]) -> list[str]:
    domains = [v.strip().lower().lstrip("@") for v in values if v.strip()]
    for domain in domains:
        if not _DOMAIN.match(domain):
            raise Invalid(
                f"'{domain}' is not an email domain like example.com.", detail={"field": "Email domains"}
            )
    return list(dict.fromkeys(domains))


def _require_free_name(db: Session, *, workspace_id: int, name: str, own_id: int | None) -> None:
    """Two clients never share a name (ignoring case and spacing): intake matches senders by it."""
    existing = repository.client_by_name(db, workspace_id, name)
    if existing is not None and existing.id != own_id:
        raise Conflict(
            f"A client named {existing.name} already exists (names ignore case and spacing).",
            field="Client name",
        )


def _require_member(db: Session, *, workspace_id: int, user_id: int) -> None:
    """P7: the default spokesperson must be a member of the workspace."""
    try:
        users.get_user(db, workspace_id=workspace_id, user_id=user_id)
    except NotFound:
        raise Invalid(f"No team member with id {user_id} to be the client's spokesperson.") from None


def _money(value: Decimal | float | str, field: str = "Monthly value") -> Decimal:
    """A non-negative amount; the error names the field so a form can show it beside the input."""
    text = str(value).strip().replace(",", "") or "0"
    try:
        amount = Decimal(text)
    except InvalidOperation as exc:
        raise Invalid(f"{field} '{value}' is not a number.", detail={"field": field}) from exc
    if not amount.is_finite() or amount < 0 or amount > Decimal("1e9"):
        raise Invalid(f"{field} must be between 0 and 1,000,000,000.", detail={"field": field})
    return amount


def _tier(tier: str) -> str:
    if tier not in TIERS:
        raise Invalid(f"Unknown tier '{tier}'. Tiers: {', '.join(TIERS)}.", detail={"field": "Tier"})
    return tier


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
    _tier(tier)
    _require_free_name(db, workspace_id=workspace_id, name=name, own_id=None)
    if default_spokesperson_id is not None:
        _require_member(db, workspace_id=workspace_id, user_id=default_spokesperson_id)
    client = Client(
        workspace_id=workspace_id,
        name=name,
        name_key=name_key(name),
        email_domains=_domains(email_domains or []),
        monthly_value=_money(monthly_value),
        hourly_rate=_money(hourly_rate, "Hourly rate"),
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


EDITABLE_TEXT = {
    "expectations": "Expectations",
    "contract_summary": "Contract",
    "termination_terms": "Termination terms",
    "insurance_notes": "Insurance notes",
}


def update_client(
    db: Session,
    *,
    actor: ActorLike | None,
    client: Client,
    name: str,
    email_domains: list[str],
    monthly_value: Decimal | float | str,
    hourly_rate: Decimal | float | str,
    tier: str,
    expectations: str,
    contract_summary: str,
    termination_terms: str,
    insurance_notes: str,
) -> Client:
    """Correct what was agreed with a client (P1); everything is checked before anything changes."""
    require_write(actor)
    require_same_workspace(actor, client.workspace_id, "Client")
    clean_name = clean_text(name, field="Client name", max_chars=200, required=True)
    _require_free_name(db, workspace_id=client.workspace_id, name=clean_name, own_id=client.id)
    values = {
        "email_domains": _domains(email_domains),
        "monthly_value": _money(monthly_value),
        "hourly_rate": _money(hourly_rate, "Hourly rate"),
        "tier": _tier(tier),
    }
    texts = dict(
        expectations=expectations,
        contract_summary=contract_summary,
        termination_terms=termination_terms,
        insurance_notes=insurance_notes,
    )
    for attr, label in EDITABLE_TEXT.items():
        values[attr] = clean_text(texts[attr], field=label, max_chars=LONG_TEXT)
    client.name, client.name_key = clean_name, name_key(clean_name)
    for attr, value in values.items():
        setattr(client, attr, value)
    db.flush()
    return client


def _contact_fields(entry: ContactIn) -> dict[str, str]:
    """A contact row's cleaned fields; an email must look like one (intake matches senders by it)."""
    email = clean_text(entry.email, field="Contact email", max_chars=320).lower()
    if email and not _EMAIL.match(email):
        raise Invalid(f"'{email}' is not an email address.", detail={"field": "Contact email"})
    return {
        "name": clean_text(
            entry.name or email.split("@")[0], field="Contact name", max_chars=200, required=True
        ),
        "email": email,
        "phone": clean_text(entry.phone, field="Phone", max_chars=50),
        "role": clean_text(entry.role, field="Role", max_chars=100),
    }


def save_contacts(
    db: Session, *, actor: ActorLike | None, client: Client, contacts: list[ContactIn]
) -> Client:
    """Make the client's contacts the given list: rows with an id are updated, others added, the rest removed.

    Blank rows (no name, no email, no phone) are ignored, so a form may always offer an empty row.
    """
    require_write(actor)
    require_same_workspace(actor, client.workspace_id, "Client")
    wanted = [c for c in contacts if (c.name or c.email or c.phone).strip()]
    cleaned = [(c.id, _contact_fields(c)) for c in wanted]
    current = {c.id: c for c in client.contacts}
    kept: set[int] = set()
    for contact_id, fields in cleaned:
        row = current.get(contact_id) if contact_id is not None else None
        if row is None:
            row = Contact(client_id=client.id)
            client.contacts.append(row)
        else:
            kept.add(row.id)
        for attr, value in fields.items():
            setattr(row, attr, value)
    for contact_id, row in current.items():
        if contact_id not in kept:
            client.contacts.remove(row)
    db.flush()
    return client


def save_client(
    db: Session, *, actor: ActorLike | None, workspace_id: int, client: Client | None, form: ClientForm
) -> Client:
    """The client form's one verb: add the client (client=None) or correct it, then its contacts (P1)."""
    fields = form.model_dump(exclude={"contacts", "email_domains"})
    domains = [d for d in re.split(r"[\s,;]+", form.email_domains) if d]
    if client is None:
        client = add_client(db, actor=actor, workspace_id=workspace_id, email_domains=domains, **fields)
    else:
        update_client(db, actor=actor, client=client, email_domains=domains, **fields)
    return save_contacts(db, actor=actor, client=client, contacts=form.contacts)


def pick_client(
    db: Session,
    *,
    actor: ActorLike | None,
    workspace_id: int,
    name: str,
    create: bool = False,
    email_domain: str = "",
    required: bool = True,
) -> Client | None:
    """The client a form names, created on the spot when asked (the New case page's "create new")."""
    name = clean_text(name, field="Client", max_chars=200)
    if not name:
        if required:
            raise Invalid("Choose the client this is about, or type a new name.", detail={"field": "Client"})
        return None
    found = repository.client_by_name(db, workspace_id, name)
    if found is not None:
        require_same_workspace(actor, found.workspace_id, "Client")
        return found
    if not create:
        raise Invalid(
            f'There is no client named {name}. Pick one from the list, or tick "Create this client".',
            detail={"field": "Client"},
        )
    domains = [email_domain] if email_domain.strip() else []
    return add_client(db, actor=actor, workspace_id=workspace_id, name=name, email_domains=domains)


def search_clients(
    db: Session, *, actor: ActorLike | None, workspace_id: int, query: str, limit: int = 10
) -> list[Client]:
    """Clients whose name holds the typed words, for pickers (never the whole list: P3 at scale)."""
    words = name_key(query[:200]).split()
    return repository.clients_matching(db, workspace_id, words, limit=max(1, min(limit, 50)))


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


def find_clients(
    db: Session, *, actor: ActorLike | None, workspace_id: int, text: str, limit: int = 20
) -> list[Client]:
    """Pickers: a few clients whose name starts with what was typed, never the whole list (issue 23)."""
    return repository.clients_starting(db, workspace_id, text[:200], max(1, min(limit, 50)))


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
