"""What the case page shows from triage and cadence: evidence placed in a message, the clocks (P4-P6)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from accord.cadence import service as cadence
from accord.cases.models import Case
from accord.clock import now
from accord.intake.models import Message
from accord.triage import service as triage


@dataclass
class MessageTriage:
    """What triage found in one message: reasons, and evidence spans in the subject and the body."""

    reasons: list[str] = field(default_factory=list)
    subject_spans: list[tuple[int, int, str]] = field(default_factory=list)
    body_spans: list[tuple[int, int, str]] = field(default_factory=list)
    severity: int | None = None
    model_version: str = ""
    error: str = ""  # why triage could not read the message (then nothing else is set)


def _locate(body: str, shift: int, start: int, end: int, quote: str) -> tuple[int, int] | None:
    """Where an evidence quote sits in the body (triage reads subject + newline + body)."""
    for s in (start - shift, start):
        if s >= 0 and body[s : s + (end - start)] == quote:
            return s, s + (end - start)
    found = body.find(quote) if quote else -1
    return (found, found + len(quote)) if found >= 0 else None


def triage_of(db: Session, message: Message) -> MessageTriage | None:
    """The stored triage result of a message (P4, P5), or None when it was not triaged yet."""
    row = triage.get_result(db, message_id=message.id)
    if row is None:
        return None
    if row.status == "failed":
        return MessageTriage(error=row.error or "unknown error")
    result: dict[str, Any] = row.result or {}
    out = MessageTriage(list(result.get("reasons", [])), [], [], result.get("severity"), row.model_version)
    out.subject_spans, out.body_spans = place_evidence(
        message.subject or "", message.body or "", result.get("evidence", [])
    )
    return out


Spans = list[tuple[int, int, str]]


def place_evidence(subject: str, body: str, evidence: list[dict[str, Any]]) -> tuple[Spans, Spans]:
    """Split evidence found in 'subject + newline + body' into subject spans and body spans."""
    shift = len(subject) + 1 if subject else 0
    in_subject: Spans = []
    in_body: Spans = []
    for e in evidence:
        start, end, quote, signal = int(e["start"]), int(e["end"]), str(e["text"]), str(e["signal"])
        if subject and end <= len(subject) and subject[start:end] == quote:
            in_subject.append((start, end, signal))
        elif (where := _locate(body, shift, start, end, quote)) is not None:
            in_body.append((*where, signal))
    return in_subject, in_body


@dataclass
class ClockView:
    """One deadline on the case page."""

    label: str
    due_at: datetime | None
    overdue: bool
    paused: bool


CLOCK_LABELS = (
    ("acknowledge_due_at", "Acknowledge by"),
    ("update_due_at", "Next update by"),
    ("resolve_due_at", "Resolve by"),
    ("follow_up_due_at", "Follow-up check"),
)


def clocks_of(db: Session, *, actor: Any, case: Case) -> list[ClockView]:
    """The case's clocks, what is due when (P6, P22, P23), from the cadence service."""
    view = cadence.clock_view(db, actor=actor, case=case)
    paused, at = bool(view.get("paused")), now()
    return [
        ClockView(label, view[key], not paused and view[key] <= at, paused)
        for key, label in CLOCK_LABELS
        if view.get(key) is not None
    ]
