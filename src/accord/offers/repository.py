"""All offer queries: a case's offers in the order they were made."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.offers.models import Offer


def offers_of(db: Session, case_id: int) -> list[Offer]:
    """The case's offers, oldest first."""
    return list(
        db.scalars(select(Offer).where(Offer.case_id == case_id).order_by(Offer.created_at, Offer.id))
    )


def offer_by_id(db: Session, offer_id: int) -> Offer | None:
    """One offer by primary key."""
    return db.get(Offer, offer_id)
