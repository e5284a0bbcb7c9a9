"""All offer queries: a case's offers, yearly use per client, offers due to expire, costs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from accord.cases.models import Case
from accord.clients.models import Client
from accord.offers.lifecycle import LIVE
from accord.offers.models import Offer


def offers_of(db: Session, case_id: int) -> list[Offer]:
    """The case's offers, oldest first."""
    return list(
        db.scalars(select(Offer).where(Offer.case_id == case_id).order_by(Offer.created_at, Offer.id))
    )


def offer_by_id(db: Session, offer_id: int) -> Offer | None:
    """One offer by primary key."""
    return db.get(Offer, offer_id)


def yearly_use(db: Session, *, client_id: int, solution_id: str, since: datetime) -> tuple[int, float]:
    """How often and how much of one remedy this client accepted since `since` (P19 yearly caps)."""
    stmt = select(func.count(Offer.id), func.coalesce(func.sum(Offer.amount), 0.0)).where(
        Offer.client_id == client_id,
        Offer.solution_id == solution_id,
        Offer.origin == "us",
        Offer.status == "accepted",
        Offer.responded_at >= since,
    )
    count, total = db.execute(stmt).one()
    return int(count), float(total)


def due_to_expire(db: Session, *, at: datetime, limit: int = 500) -> list[Offer]:
    """Live offers whose time is up (the `expires_at` column is indexed for this sweep)."""
    stmt = (
        select(Offer)
        .where(Offer.status.in_(LIVE), Offer.expires_at.is_not(None), Offer.expires_at <= at)
        .order_by(Offer.expires_at, Offer.id)
        .limit(limit)
    )
    return list(db.scalars(stmt))


def accepted_costs(db: Session, *, workspace_id: int, since: datetime | None = None) -> list[Any]:
    """Accepted offers with their case and client, for the cost reports (P24)."""
    stmt = (
        select(Offer, Case, Client)
        .join(Case, Case.id == Offer.case_id)
        .join(Client, Client.id == Case.client_id)
        .where(Case.workspace_id == workspace_id, Offer.status == "accepted", Offer.origin == "us")
        .order_by(Offer.responded_at, Offer.id)
    )
    if since is not None:
        stmt = stmt.where(Offer.responded_at >= since)
    return list(db.execute(stmt).all())
