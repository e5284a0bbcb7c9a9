"""Pydantic views and inputs for offers, the catalog, firmness, the way out and costs (P19-P21, P24)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from accord.cases.schemas import CaseOut


class OfferOut(BaseModel):
    """An offer (ours, or the client's counter) as the surfaces show it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    solution_id: str
    title: str
    kind: str
    origin: str
    custom: bool
    amount: float
    unit: str
    currency: str
    limit: float
    term: str
    note: str
    status: str
    needs_approval: bool
    approved: bool
    approved_by: int | None
    parent_id: int | None
    cost: Decimal | None
    created_at: datetime
    expires_at: datetime | None


class SolutionOut(BaseModel):
    """A remedy in the catalog with its limits in units (P19); `limit_for_client` applies the share."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    title: str
    description: str
    kind: str
    unit: str
    currency: str
    limit: float | None
    limit_share: float | None
    hard_max: float | None
    yearly_count: int | None
    yearly_total: float | None
    limit_for_client: float | None
    term: str
    grant_roles: list[str]
    approver_roles: list[str]


class SignalOut(BaseModel):
    """One haggling phrase and where it is in the message (evidence)."""

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
    probability: float | None = None
    model: str = ""


class HistorySignalOut(BaseModel):
    """Haggling seen in the offer history: a counter after our offer, a growing demand (P20)."""

    model_config = ConfigDict(from_attributes=True)

    kind: str
    offer_id: int
    text: str


class FirmnessOut(BaseModel):
    """P20 on one case: is the client haggling, again, on what evidence, and what to do."""

    model_config = ConfigDict(from_attributes=True)

    haggling: bool
    repeated: bool
    count: int
    messages: list[HagglingOut]
    history: list[HistorySignalOut]
    offers_so_far: list[str]
    termination_terms: str
    guidance: list[str]


class ExitOut(BaseModel):
    """P20, P21: why the way out is shown, the contract's terms and the checklist."""

    model_config = ConfigDict(from_attributes=True)

    show: bool
    reasons: list[str]
    termination_terms: str
    checklist: list[tuple[str, str]]
    ended: bool
    ended_reason: str


class CaseOffersOut(BaseModel):
    """Everything about offers on one case."""

    model_config = ConfigDict(from_attributes=True)

    solutions: list[SolutionOut]
    offers: list[OfferOut]
    haggling: list[HagglingOut]
    firmness: FirmnessOut
    exit: ExitOut


class OfferIn(BaseModel):
    """Propose a catalog remedy (amount required) or `custom` with a title (always needs approval)."""

    solution_id: str = Field(min_length=1, max_length=60)
    amount: float | None = Field(default=None, ge=0, le=1e9)
    note: str = Field(default="", max_length=5000)
    title: str = Field(default="", max_length=200)
    kind: str = Field(default="custom", max_length=30)
    accept_drift: bool = False


class AmountIn(BaseModel):
    """A revision of our offer, or the client's counter."""

    amount: float | None = Field(default=None, ge=0, le=1e9)
    note: str = Field(default="", max_length=5000)
    accept_drift: bool = False


class ResponseIn(BaseModel):
    """The client's answer to an offer."""

    accepted: bool


class EndRelationshipIn(BaseModel):
    """P21: why the relationship ends, and the checklist items done."""

    reason: str = Field(min_length=1, max_length=5000)
    done: list[str] = Field(default_factory=list, max_length=20)


class CostRowOut(BaseModel):
    """What accepted concessions cost for one group (P24)."""

    model_config = ConfigDict(from_attributes=True)

    key: str
    offers: int
    total: float
    currency: str


class CaseFirmnessOut(CaseOut):
    """A case as the API shows it, with P20's firmness (haggling, evidence, terms, guidance)."""

    firmness: FirmnessOut
