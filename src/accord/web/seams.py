"""Adapters from the pages to other domains' services: triage evidence, coach, clocks, queue order."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from accord.cases.models import Case
from accord.cases.repository import CaseFilter
from accord.intake.models import Message


@dataclass
class MessageTriage:
    """What triage found in one message: reasons, and evidence spans in the subject and the body."""

    reasons: list[str] = field(default_factory=list)
    subject_spans: list[tuple[int, int, str]] = field(default_factory=list)
    body_spans: list[tuple[int, int, str]] = field(default_factory=list)
    severity: int | None = None
    model_version: str = ""


def _locate(body: str, shift: int, start: int, end: int, quote: str) -> tuple[int, int] | None:
    """Where an evidence quote sits in the body (triage reads subject + newline + body)."""
    for s in (start - shift, start):
        if s >= 0 and body[s : s + (end - start)] == quote:
            return s, s + (end - start)
    found = body.find(quote) if quote else -1
    return (found, found + len(quote)) if found >= 0 else None


def triage_of(db: Session, message: Message) -> MessageTriage | None:
    """The stored triage result of a message (P4, P5), or None when it was not triaged yet."""
    from accord.triage import service as triage

    row = triage.get_result(db, message_id=message.id)
    if row is None:
        return None
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
class QueueRow:
    """One queue line: the case and its next clock, when the cadence module knows one."""

    case: Case
    due_at: datetime | None = None
    overdue: bool = False


def queue_rows(
    db: Session,
    *,
    actor: Any,
    workspace_id: int,
    flt: CaseFilter,
    overdue: bool,
    limit: int,
    offset: int,
) -> tuple[list[QueueRow], bool]:
    """One queue page, what is due first; falls back to longest-waiting first."""
    from accord.cases import service as cases
    from accord.clock import now

    due = next_due_expression()
    at = now()
    rows, has_next = cases.queue_page(
        db,
        actor=actor,
        workspace_id=workspace_id,
        flt=flt,
        due=due,
        due_before=at if overdue and due is not None else None,
        limit=limit,
        offset=offset,
    )
    return [QueueRow(c, due_at, due_at is not None and due_at <= at) for c, due_at in rows], has_next


def next_due_expression() -> Any:
    """SQL for a case's earliest stored deadline (cadence's indexed `*_due_at` columns), or None.

    Built from cadence's clock columns; a case without a stored clock sorts after the rest.
    """
    from sqlalchemy import case as when
    from sqlalchemy import func, literal, select

    from accord.cadence.models import CaseClock
    from accord.db import AwareDateTime

    far = literal(datetime(9999, 1, 1, tzinfo=UTC), AwareDateTime())
    a, b, c = (
        func.coalesce(col, far)
        for col in (CaseClock.acknowledge_due_at, CaseClock.update_due_at, CaseClock.resolve_due_at)
    )
    first = when((a <= b, a), else_=b)
    earliest = when((first <= c, first), else_=c)
    expr = when((earliest < far, earliest), else_=None)
    return select(expr).where(CaseClock.case_id == Case.id).correlate(Case).scalar_subquery()


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
    from accord.cadence import service as cadence
    from accord.clock import now

    view = cadence.clock_view(db, actor=actor, case=case)
    paused, at = bool(view.get("paused")), now()
    return [
        ClockView(label, view[key], not paused and view[key] <= at, paused)
        for key, label in CLOCK_LABELS
        if view.get(key) is not None
    ]


@dataclass
class Finding:
    """One thing the coach wants changed in a reply."""

    rule: str
    message: str
    level: str = "warning"
    suggestion: str = ""
    excerpt: str = ""


@dataclass
class ReplyReview:
    """The coach's view of a reply: findings and a score out of 100."""

    findings: list[Finding]
    score: int | None


def check_reply(db: Session, *, case: Case, text: str) -> ReplyReview:
    """Run the reply coach on the text being typed (P13, P16, P17, P20)."""
    from accord.coach import service as coach

    if not text.strip():
        return ReplyReview([], None)
    result = coach.check_case_reply(db, case=case, text=text)
    findings = [Finding(f.rule, f.message, f.severity, f.suggestion, f.text) for f in result.findings]
    return ReplyReview(findings, result.score)


def draft_reply(db: Session, *, case: Case, purpose: str) -> str:
    """The composer's draft for a purpose (acknowledge, update, mistake, solution, firm...)."""
    from accord.coach import service as coach

    return coach.draft_reply(db, case=case, purpose=purpose)


def send_reply(db: Session, *, actor: Any, case: Case, body: str, override_reason: str | None) -> Any:
    """Send a reply through the coach, which checks it first; blocking findings need a reason."""
    from accord.coach import service as coach

    return coach.send_reply(db, actor=actor, case=case, body=body, override_reason=override_reason)
