"""Pydantic views and inputs for clients."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from accord.db import MAX_ID


class ContactOut(BaseModel):
    """A contact at a client."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    email: str
    phone: str
    role: str


class ClientOut(BaseModel):
    """A client with what was agreed at onboarding (P1)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    email_domains: list[str]
    monthly_value: Decimal
    hourly_rate: Decimal = Decimal("0")
    tier: str
    status: str
    toxic: bool = False
    ended_reason: str = ""
    expectations: str
    contract_summary: str
    termination_terms: str
    insurance_notes: str
    default_spokesperson_id: int | None
    contacts: list[ContactOut] = []


class ClientIn(BaseModel):
    """What is needed to add a client."""

    name: str = Field(min_length=1, max_length=200)
    email_domains: list[str] = []
    monthly_value: Decimal = Field(default=Decimal("0"), ge=0, le=Decimal("1e9"))
    hourly_rate: Decimal = Field(default=Decimal("0"), ge=0, le=Decimal("1e6"))
    tier: str = "standard"
    expectations: str = Field(default="", max_length=20000)
    contract_summary: str = Field(default="", max_length=20000)
    termination_terms: str = Field(default="", max_length=20000)
    insurance_notes: str = Field(default="", max_length=20000)
    default_spokesperson_id: int | None = Field(default=None, ge=1, le=MAX_ID)


class ContactIn(BaseModel):
    """A contact row as a form or the API sends it; `id` names an existing contact to update."""

    id: int | None = Field(default=None, ge=1, le=MAX_ID)
    name: str = Field(default="", max_length=200)
    email: str = Field(default="", max_length=320)
    phone: str = Field(default="", max_length=50)
    role: str = Field(default="", max_length=100)


class ClientForm(BaseModel):
    """Everything the client form edits, as typed (the service checks and converts each field, P1)."""

    name: str = ""
    tier: str = "standard"
    monthly_value: str = "0"
    hourly_rate: str = "0"
    email_domains: str = ""  # separated by commas or spaces
    expectations: str = ""
    contract_summary: str = ""
    termination_terms: str = ""
    insurance_notes: str = ""
    contacts: list[ContactIn] = []
