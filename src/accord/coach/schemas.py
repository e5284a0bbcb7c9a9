"""The coach's request and response shapes for the API; findings are coach.findings.Finding itself."""

from __future__ import annotations

from pydantic import BaseModel, Field

from accord.coach.findings import Finding

MAX_REPLY_CHARS = 50_000


class CheckIn(BaseModel):
    """A reply to check, optionally against a case's facts."""

    text: str = Field(max_length=MAX_REPLY_CHARS)
    case: str | None = Field(default=None, description="Case reference, e.g. ACC-1001.")


class CheckOut(BaseModel):
    """The coach's verdict."""

    findings: list[Finding]
    score: int


class ReplyIn(BaseModel):
    """A reply to send; blocking findings need an override reason."""

    body: str = Field(max_length=MAX_REPLY_CHARS)
    override_reason: str | None = None
    channel: str = "email"


class DraftOut(BaseModel):
    """A draft reply for a purpose."""

    purpose: str
    body: str
