"""Cadence's API shapes: a case's clocks, reminders, confirmation requests (P6, P22, P23)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class ClocksOut(BaseModel):
    """A case's deadlines; null where a rule does not apply or the clock is paused."""

    reference: str
    status: str
    severity: int
    acknowledge_due_at: datetime | None
    update_due_at: datetime | None
    resolve_due_at: datetime | None
    follow_up_due_at: datetime | None
    paused: bool
    paused_at: datetime | None
    last_update_at: datetime | None


class ReminderOut(BaseModel):
    """One reminder (to the spokesperson) or escalation (to the owners)."""

    key: str
    reference: str
    kind: str
    level: str
    due_at: datetime
    created_at: datetime
    to: list[str]
    has_draft: bool


class ConfirmationRequestOut(BaseModel):
    """The link emailed to the client (also returned so a spokesperson can read it out on a call)."""

    reference: str
    status: str
    url: str


class CallConfirmationIn(BaseModel):
    """What the client said on the call."""

    note: str
