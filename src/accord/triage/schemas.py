"""Triage's API input: a text and, optionally, the client context the rubric weighs (P4, P5)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from accord.triage.engine import MAX_CHARS


class ContextIn(BaseModel):
    """What the rubric weighs besides the text: how much the client is worth, what is open, history."""

    monthly_value: float = Field(0, ge=0)
    open_cases: int = Field(0, ge=0)
    earlier_conflicts: int = Field(0, ge=0)


class TriageIn(BaseModel):
    """A text to triage without storing anything."""

    text: str = Field(..., min_length=1, max_length=MAX_CHARS)
    context: ContextIn | None = None
