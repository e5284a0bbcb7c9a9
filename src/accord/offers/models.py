"""Offers made to a client on a case, each tied to a pre-approved solution and its limit (P19)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Boolean, Float, ForeignKey, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from accord.clock import now
from accord.db import AwareDateTime, Base


class Offer(Base):
    """One offer; beyond the solution's limit it needs an approver before the client may answer (P19).

    `origin` "client" rows are the client's counters (P20); `cost` is set when an offer is accepted (P24).
    """

    __tablename__ = "offers"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id"), nullable=True, index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("offers.id"), nullable=True)
    origin: Mapped[str] = mapped_column(String(10), default="us")
    custom: Mapped[bool] = mapped_column(Boolean, default=False)
    unit: Mapped[str] = mapped_column(String(20), default="")
    currency: Mapped[str] = mapped_column(String(3), default="")
    cost: Mapped[Decimal | None] = mapped_column(Numeric(12, 2), nullable=True)
    expires_at: Mapped[datetime | None] = mapped_column(AwareDateTime, nullable=True, index=True)
    solution_id: Mapped[str] = mapped_column(String(60))
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(30))
    amount: Mapped[float] = mapped_column(Float, default=0.0)
    limit: Mapped[float] = mapped_column(Float, default=0.0)
    term: Mapped[str] = mapped_column(String(10), default="short")
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="proposed", index=True)
    needs_approval: Mapped[bool] = mapped_column(Boolean, default=False)
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    proposed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime, default=now, index=True)
    responded_at: Mapped[datetime | None] = mapped_column(AwareDateTime, nullable=True)

    @property
    def approved(self) -> bool:
        """Within the limit, or signed off by an approver."""
        return not self.needs_approval or self.approved_by is not None
