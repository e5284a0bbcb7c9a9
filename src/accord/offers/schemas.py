"""Pydantic views and inputs for offers, solutions and haggling warnings."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class OfferOut(BaseModel):
    """An offer as the surfaces show it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    solution_id: str
    title: str
    kind: str
    amount: float
    limit: float
    term: str
    note: str
    status: str
    needs_approval: bool
    approved: bool
    approved_by: int | None
    created_at: datetime


class SolutionOut(BaseModel):
    """A pre-approved solution with its limit (P19)."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    title: str
    description: str
    kind: str
    limit: float
    term: str
    approver_roles: list[str]


class SignalOut(BaseModel):
    """One haggling phrase and where it is."""

    model_config = ConfigDict(from_attributes=True)

    kind: str
    phrase: str
    start: int
    end: int


class HagglingOut(BaseModel):
    """A client message that bargains over a firm offer, and the advice (P20)."""

    model_config = ConfigDict(from_attributes=True)

    message_id: int
    signals: list[SignalOut]
    advice: list[str]
    repeated: bool


class CaseOffersOut(BaseModel):
    """Everything about offers on one case."""

    solutions: list[SolutionOut]
    offers: list[OfferOut]
    haggling: list[HagglingOut]


class OfferIn(BaseModel):
    """Propose a pre-approved solution."""

    solution_id: str = Field(min_length=1, max_length=60)
    amount: float | None = Field(default=None, ge=0, le=1e9)
    note: str = Field(default="", max_length=5000)


class ResponseIn(BaseModel):
    """The client's answer to an offer."""

    accepted: bool


class EndRelationshipIn(BaseModel):
    """P21: why the relationship ends."""

    reason: str = Field(min_length=1, max_length=5000)
