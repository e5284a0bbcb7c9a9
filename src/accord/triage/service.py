"""Triage of stored messages: run the models on inbound messages, keep the result, propose severity (P4, P5).

Called by the background sweep (`triage_pending`), never in the request path. When the first inbound
message of a case is triaged, the case gets a `triage_proposed` event; the proposal is applied through
`cases.facts` unless a person already set the severity or category by hand. A person can always override
it later (`facts.update_facts`: the case page's Facts form, the API, `accord case set`); that override is
its own event, with its reason, and later triage leaves it alone.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from accord.cases import facts
from accord.cases.models import Case
from accord.cases.timeline import record_event
from accord.clients.models import Client
from accord.errors import NotFound
from accord.intake.models import Message
from accord.triage import repository as repo
from accord.triage.engine import triage
from accord.triage.models import TriageResult
from accord.triage.rubric import Context

_MANUAL_KINDS = ("severity_changed", "category_changed")


def _context(db: Session, case: Case) -> Context:
    client = db.get(Client, case.client_id)
    open_cases, earlier = repo.client_case_counts(db, case.client_id, case.id)
    value = float(client.monthly_value or 0) if client else 0.0
    return Context(monthly_value=value, open_cases=open_cases, earlier_conflicts=earlier)


def _summary(result: dict[str, Any]) -> list[str]:
    """At most five short quotes that back the proposal."""
    return [f"{e['signal']}: {e['text']}" for e in result["evidence"] if e["signal"] != "category"][:5]


def _propose(db: Session, case: Case, result: dict[str, Any], message_id: int) -> None:
    record_event(
        db,
        case=case,
        kind="triage_proposed",
        actor=None,
        data={
            "message_id": message_id,
            "severity": result["severity"],
            "category": result["category"],
            "reasons": result["reasons"],
            "evidence": _summary(result),
            "model_version": result["model_version"],
        },
    )
    manual = repo.changed_by_person(db, case.id, _MANUAL_KINDS)
    if "severity_changed" not in manual and case.severity != result["severity"]:
        facts.set_severity(
            db,
            actor=None,
            case=case,
            severity=result["severity"],
            reason="proposed by triage: " + "; ".join(result["reasons"]),
        )
    if "category_changed" not in manual and case.category != result["category"]:
        facts.set_category(db, actor=None, case=case, category=result["category"])


def triage_message(db: Session, *, message_id: int) -> TriageResult:
    """Triage one stored message (idempotent: an existing result is returned as it is)."""
    existing = repo.by_message(db, message_id)
    if existing is not None:
        return existing
    message = db.get(Message, message_id)
    if message is None:
        raise NotFound(f"Message {message_id} does not exist.")
    case = db.get(Case, message.case_id)
    if case is None:
        raise NotFound(f"The case of message {message_id} does not exist.")
    text = "\n".join(part for part in (message.subject, message.body) if part)
    result = triage(text, context=_context(db, case)).as_dict()
    row = TriageResult(
        message_id=message.id, case_id=case.id, result=result, model_version=result["model_version"]
    )
    db.add(row)
    db.flush()
    if message.direction == "inbound" and repo.first_inbound_id(db, case.id) == message.id:
        _propose(db, case, result, message.id)
    return row


def triage_pending(db: Session, *, limit: int = 100) -> int:
    """Triage inbound messages that have no result yet; returns how many were triaged."""
    ids = repo.untriaged_inbound(db, limit)
    for message_id in ids:
        triage_message(db, message_id=message_id)
    return len(ids)


def get_result(db: Session, *, message_id: int) -> TriageResult | None:
    """The stored result of a message, or None when it has not been triaged yet."""
    return repo.by_message(db, message_id)
