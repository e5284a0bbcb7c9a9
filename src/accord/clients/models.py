"""Client records: the agreed expectations and contract shown whenever a conflict is open (P1)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accord.clock import now
from accord.db import AwareDateTime, Base
from accord.text import name_key

TIERS = ("standard", "key", "strategic")
CLIENT_STATUSES = ("active", "at_risk", "ended")


def _key_of_name(context: Any) -> str:
    """Column default: also fills the key for inserts that name only `name` (workspace import)."""
    return name_key(str(context.get_current_parameters().get("name") or ""))


class Client(Base):
    """A client of the business, with what was agreed at onboarding (P1)."""

    __tablename__ = "clients"
    __table_args__ = (
        UniqueConstraint("workspace_id", "name"),
        Index("ix_clients_workspace_id_name_key", "workspace_id", "name_key", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    # accord.text.name_key(name): NFKC + Unicode case folding, so "Émile" and "émile" are one client.
    name_key: Mapped[str] = mapped_column(String(200), default=_key_of_name)
    email_domains: Mapped[list[str]] = mapped_column(JSON, default=list)
    monthly_value: Mapped[Decimal] = mapped_column(Numeric(12, 2), default=Decimal("0"))
    # P24: free work offered as a remedy is costed at this rate.
    hourly_rate: Mapped[Decimal] = mapped_column(Numeric(10, 2), default=Decimal("0"))
    tier: Mapped[str] = mapped_column(String(20), default="standard")
    status: Mapped[str] = mapped_column(String(20), default="active")
    expectations: Mapped[str] = mapped_column(Text, default="")
    contract_summary: Mapped[str] = mapped_column(Text, default="")
    termination_terms: Mapped[str] = mapped_column(Text, default="")
    # P21: a relationship marked toxic shows the way out; ending it records why and when.
    toxic: Mapped[bool] = mapped_column(Boolean, default=False)
    ended_reason: Mapped[str] = mapped_column(Text, default="")
    ended_at: Mapped[datetime | None] = mapped_column(AwareDateTime, nullable=True)
    insurance_notes: Mapped[str] = mapped_column(Text, default="")
    default_spokesperson_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime, default=now)

    contacts: Mapped[list[Contact]] = relationship(
        back_populates="client", cascade="all, delete-orphan", order_by="Contact.id"
    )


class Contact(Base):
    """A person at the client we talk to."""

    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320), default="", index=True)
    phone: Mapped[str] = mapped_column(String(50), default="")
    role: Mapped[str] = mapped_column(String(100), default="")

    client: Mapped[Client] = relationship(back_populates="contacts")
