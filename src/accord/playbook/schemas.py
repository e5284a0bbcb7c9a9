"""Pydantic views of step runs and advice for the API and the CLI's --json."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class StepRunOut(BaseModel):
    """One playbook step on a case."""

    model_config = ConfigDict(from_attributes=True)

    step_id: str
    title: str
    phase: str
    state: str
    required_before: str | None
    notes: str
    skip_reason: str
    done_at: datetime | None
    playbook_version: str


class CompleteStepIn(BaseModel):
    """Notes on what was done or said."""

    notes: str = Field("", max_length=10_000)


class SkipStepIn(BaseModel):
    """Why the step does not apply here."""

    reason: str = Field(..., min_length=1, max_length=2000)


class ReopenStepIn(BaseModel):
    """Why the step needs doing again."""

    reason: str = Field("", max_length=2000)


class AdviceOut(BaseModel):
    """One advisor's recommendation with its reasons."""

    model_config = ConfigDict(from_attributes=True)

    topic: str
    recommendation: str
    reasons: list[str]
    level: str
    missing: list[str]


class CaseAdviceOut(BaseModel):
    """Every advisor's view of a case."""

    model_config = ConfigDict(from_attributes=True)

    reference: str
    playbook_version: str
    advice: list[AdviceOut]
