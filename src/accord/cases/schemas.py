"""Pydantic views of cases, events and notes for the API and the CLI's --json."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator


class CaseOut(BaseModel):
    """A case as the API and `--json` show it."""

    model_config = ConfigDict(from_attributes=True)

    reference: str
    status: str
    severity: int
    category: str
    client: str
    owner: str | None
    title: str
    kind: str
    channel: str
    fault: str
    approach: str | None
    approach_reason: str
    handoff_count: int
    requested_remedy: str
    client_view: str
    our_view: str
    impact_assessment: str
    legal_review: str
    playbook_version: str
    root_cause: str = ""  # P24, recorded on closing
    what_we_change: str = ""
    created_at: datetime
    updated_at: datetime
    acknowledged_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None


class EventOut(BaseModel):
    """One timeline entry."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: str
    actor_label: str
    at: datetime
    data: dict[str, Any]


class NoteOut(BaseModel):
    """An internal note."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    body: str
    created_at: datetime


class CaseIn(BaseModel):
    """What is needed to open a case by hand."""

    client: str = Field(min_length=1, max_length=200)
    title: str = Field(min_length=1, max_length=200)
    text: str = Field(default="", max_length=100_000)
    kind: str = "client_raised"
    channel: str = "manual"
    severity: int | None = Field(default=None, ge=1, le=4)
    category: str | None = None


class MoveIn(BaseModel):
    """A status change request."""

    status: str = Field(min_length=1, max_length=40)
    note: str = Field(default="", max_length=5000)
    # P24: read when the move closes the case.
    root_cause: str = Field(default="", max_length=2000)
    what_we_change: str = Field(default="", max_length=2000)


class AssignIn(BaseModel):
    """A change of spokesperson."""

    owner_email: str = Field(min_length=3, max_length=320)
    reason: str = Field(default="", max_length=2000)


class FactsIn(BaseModel):
    """Facts a person sets or corrects on a case; a field left out (None) stays as it is."""

    severity: int | None = Field(default=None, ge=1, le=4)
    severity_reason: str = Field(default="", max_length=2000)
    category: str | None = Field(default=None, max_length=60)
    fault: str | None = Field(default=None, max_length=40)
    legal_review: str | None = Field(default=None, max_length=40)
    approach: str | None = Field(default=None, max_length=40)
    approach_reason: str = Field(default="", max_length=2000)
    client_view: str | None = Field(default=None, max_length=20_000)
    our_view: str | None = Field(default=None, max_length=20_000)
    impact_assessment: str | None = Field(default=None, max_length=20_000)
    requested_remedy: str | None = Field(default=None, max_length=20_000)

    @field_validator("category", "fault", "legal_review", "approach", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: Any) -> Any:
        """An empty choice (a form's "not chosen") leaves the fact as it is."""
        return None if isinstance(value, str) and not value.strip() else value


@dataclass(frozen=True)
class CaseFilter:
    """Queue filters; None means 'any'."""

    status: str | None = None
    statuses: tuple[str, ...] | None = None
    severity: int | None = None
    category: str | None = None
    owner_id: int | None = None
    client_id: int | None = None
    search: str | None = None
    unassigned: bool = False  # no spokesperson yet (P7)
    due_before: datetime | None = None  # overdue: the next deadline has passed
    due: str | None = None  # what is due next: acknowledge, update, resolve, or waiting (on the client)
