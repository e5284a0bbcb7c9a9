"""All queries for clients and contacts."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from accord.clients.models import Client, Contact
from accord.text import name_key


def client_by_id(db: Session, client_id: int) -> Client | None:
    """Find a client by id."""
    return db.get(Client, client_id)


def client_by_name(db: Session, workspace_id: int, name: str) -> Client | None:
    """Find a client by name, ignoring case (Unicode case folding) and spacing: `accord.text.name_key`."""
    stmt = select(Client).where(Client.workspace_id == workspace_id, Client.name_key == name_key(name))
    return db.scalar(stmt)


def clients_in(db: Session, workspace_id: int) -> list[Client]:
    """All clients of a workspace, by name."""
    stmt = select(Client).where(Client.workspace_id == workspace_id).order_by(Client.name)
    return list(db.scalars(stmt))


def clients_starting(db: Session, workspace_id: int, text: str, limit: int) -> list[Client]:
    """Up to `limit` clients whose name starts with `text` (a range on the name key's index), by name."""
    key = name_key(text)
    stmt = select(Client).where(Client.workspace_id == workspace_id)
    if key:
        stmt = stmt.where(Client.name_key >= key, Client.name_key < key + "\U0010ffff")
    return list(db.scalars(stmt.order_by(Client.name_key).limit(limit)))


def contact_by_email(db: Session, workspace_id: int, email: str) -> Contact | None:
    """The contact with this email address in the workspace."""
    stmt = (
        select(Contact)
        .join(Client)
        .where(Client.workspace_id == workspace_id, func.lower(Contact.email) == email.lower())
        .limit(1)
    )
    return db.scalar(stmt)


def clients_matching(db: Session, workspace_id: int, words: list[str], *, limit: int) -> list[Client]:
    """Clients whose name key holds every word, names that start with the first word first."""
    stmt = select(Client).where(Client.workspace_id == workspace_id)
    for word in words:
        stmt = stmt.where(Client.name_key.contains(word, autoescape=True))
    starts = Client.name_key.startswith(words[0], autoescape=True) if words else Client.id.is_(None)
    stmt = stmt.order_by(starts.desc(), Client.name).limit(limit)
    return list(db.scalars(stmt))
