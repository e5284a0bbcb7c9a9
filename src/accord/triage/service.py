"""Triage of stored messages: run the models on inbound messages, keep the result, propose severity (P4, P5).

Called by the background sweep (`triage_pending`), never in the request path. Each inbound message
triaged gives its case a `triage_proposed` event: the severity of the worst message so far (not the
latest), the category, and legal review "required" when a legal threat is detected with confidence (P11).
Triage proposes and a person decides: the proposal is applied through `cases.facts` only where no person
chose the value (at opening, or by hand later: the Facts form, the API, `accord case set`), and never on
a resolved or closed case. Auto-replies and system mail are stored but propose nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from accord.cases import facts
from accord.cases.models import Case
from accord.cases.timeline import record_event
from accord.clients.models import Client
from accord.errors import AccordError, NotFound
from accord.intake.models import Message
from accord.triage import repository as repo
from accord.triage.engine import MAX_CHARS, triage
from accord.triage.models import TriageResult
from accord.triage.rubric import Context
from accord.users.access import ActorLike, require_write

_MANUAL_KINDS = {
    "severity_changed": {"severity"},
    "category_changed": {"category"},
    "legal_review_changed": {"legal_review"},
    "triage_accepted": {"severity", "category"},  # a person took the proposal as it stood (issue 20)
}
SETTLED = ("resolved", "closed")  # triage never touches these cases
LEGAL_CONFIDENCE = 0.8  # a legal threat this sure makes legal review required (P11)


def _context(db: Session, case: Case) -> Context:
    client = db.get(Client, case.client_id)
    open_cases, earlier = repo.client_case_counts(db, case.client_id, case.id)
    value = float(client.monthly_value or 0) if client else 0.0
    return Context(monthly_value=value, open_cases=open_cases, earlier_conflicts=earlier)


def _summary(result: dict[str, Any]) -> list[str]:
    """At most five short quotes that back the proposal."""
    return [f"{e['signal']}: {e['text']}" for e in result["evidence"] if e["signal"] != "category"][:5]


def person_set(db: Session, case: Case) -> set[str]:
    """The facts a person decided: chosen when opening the case, or changed by hand later (P4)."""
    kinds = repo.changed_by_person(db, case.id, tuple(_MANUAL_KINDS))
    return {name for k in kinds for name in _MANUAL_KINDS[k]} | repo.chosen_at_opening(db, case.id)


def _legal_threat(result: dict[str, Any]) -> bool:
    legal = result["threats"]["legal"]
    return bool(legal["present"]) and float(legal["confidence"]) >= LEGAL_CONFIDENCE


def _propose(db: Session, case: Case, result: dict[str, Any], message_id: int) -> None:
    """Propose severity (the worst message of the thread), category (the first message's, unless "other"
    then) and legal review (P11); apply what no person has decided. Settled cases stay as they are."""
    if case.status in SETTLED:
        return
    worst = max(repo.triaged_severities(db, case.id))
    first = repo.first_inbound_id(db, case.id) == message_id
    record_event(
        db,
        case=case,
        kind="triage_proposed",
        actor=None,
        data={
            "message_id": message_id,
            "severity": worst,
            "message_severity": result["severity"],
            "category": result["category"],
            "category_note": result.get("category_note", ""),
            "legal_review": "required" if _legal_threat(result) else None,
            "reasons": result["reasons"],
            "evidence": _summary(result),
            "model_version": result["model_version"],
        },
    )
    decided = person_set(db, case)
    if "severity" not in decided and case.severity != worst:
        why = "proposed by triage, the worst message of the thread: " + "; ".join(result["reasons"])
        facts.set_severity(db, actor=None, case=case, severity=worst, reason=why)
    category = result["category"]
    if "category" not in decided and case.category != category and (first or case.category == "other"):
        facts.set_category(db, actor=None, case=case, category=category)
    if "legal_review" not in decided and case.legal_review == "not_needed" and _legal_threat(result):
        facts.set_legal_review(db, actor=None, case=case, state="required")


@dataclass(frozen=True)
class Proposal:
    """What triage proposed for a case, its evidence, and whether a person has decided (issue 20, P4)."""

    event_id: int
    severity: int
    category: str
    reasons: list[str]
    evidence: list[str]
    model_version: str
    decided: frozenset[str]  # the facts a person set or accepted: triage no longer changes them

    @property
    def open(self) -> bool:
        """True while a person has yet to accept or change the proposed severity and category."""
        return not {"severity", "category"} <= self.decided


def latest_proposal(db: Session, *, case: Case) -> Proposal | None:
    """The newest triage proposal on the case with what a person decided since, or None (P4, P5)."""
    event = repo.latest_event(db, case.id, "triage_proposed")
    if event is None:
        return None
    data = event.data or {}
    return Proposal(
        event_id=event.id,
        severity=int(data.get("severity") or case.severity),
        category=str(data.get("category") or case.category),
        reasons=[str(r) for r in data.get("reasons", [])],
        evidence=[str(e) for e in data.get("evidence", [])],
        model_version=str(data.get("model_version", "")),
        decided=frozenset(person_set(db, case)),
    )


def accept_proposal(db: Session, *, actor: ActorLike | None, case: Case) -> Proposal:
    """A person accepts triage's proposed severity and category: they are set (if a person had moved
    them) and recorded as decided, so later triage proposes but never changes them (P4)."""
    require_write(actor)
    proposal = latest_proposal(db, case=case)
    if proposal is None:
        raise NotFound(f"Triage has not proposed anything for {case.reference} yet.")
    if case.severity != proposal.severity:  # a person had moved it; accepting takes the proposal back
        why = "accepted triage's proposal: " + ("; ".join(proposal.reasons) or "no signals")
        facts.set_severity(db, actor=actor, case=case, severity=proposal.severity, reason=why)
    if case.category != proposal.category:
        categories = facts.playbook_categories(db, case)
        facts.set_category(db, actor=actor, case=case, category=proposal.category, categories=categories)
    data = {
        "severity": case.severity,
        "category": case.category,
        "proposed_severity": proposal.severity,
        "proposed_category": proposal.category,
        "proposal_event": proposal.event_id,
    }
    record_event(db, case=case, kind="triage_accepted", actor=actor, data=data)
    accepted = latest_proposal(db, case=case)
    assert accepted is not None
    return accepted


@dataclass(frozen=True)
class PendingText:
    """What triage needs of one stored message, read in a short read-only transaction."""

    message_id: int
    case_id: int
    text: str
    context: Context
    automatic: bool = False


def read_pending(db: Session, *, message_id: int, automatic: bool = False) -> PendingText | None:
    """The text to triage (its opening MAX_CHARS: an over-long mail is read, not refused), or None if done.

    `automatic` is intake's word that the message is an auto-reply (from its headers); the text is
    checked too. An automatic message is stored with its result but proposes nothing for the case."""
    if repo.by_message(db, message_id) is not None:
        return None
    message = db.get(Message, message_id)
    if message is None:
        raise NotFound(f"Message {message_id} does not exist.")
    case = db.get(Case, message.case_id)
    if case is None:
        raise NotFound(f"The case of message {message_id} does not exist.")
    text = "\n".join(part for part in (message.subject, message.body) if part)[:MAX_CHARS]
    return PendingText(message.id, case.id, text, _context(db, case), automatic)


def score(item: PendingText) -> dict[str, Any] | Exception:
    """Run the models, outside any transaction; a failure is returned (and kept as the reason), not raised."""
    try:
        return triage(item.text, context=item.context, automatic=item.automatic).as_dict()
    except Exception as exc:  # kept as the message's failure reason
        return exc


def save_result(db: Session, *, item: PendingText, result: dict[str, Any]) -> TriageResult:
    """Store a computed result (a short write); idempotent when another worker stored one first."""
    existing = repo.by_message(db, item.message_id)
    if existing is not None:
        return existing
    case = db.get(Case, item.case_id)
    if case is None:
        raise NotFound(f"The case of message {item.message_id} does not exist.")
    row = TriageResult(
        message_id=item.message_id, case_id=case.id, result=result, model_version=result["model_version"]
    )
    db.add(row)
    db.flush()
    message = db.get(Message, item.message_id)
    if message is not None and message.direction == "inbound" and not result["automatic"]:
        _propose(db, case, result, message.id)
    return row


def mark_failed(db: Session, *, message_id: int, case_id: int, reason: str) -> TriageResult:
    """Record that triage could not read a message: later sweeps skip it, the case shows why."""
    existing = repo.by_message(db, message_id)
    if existing is not None:
        return existing
    reason = reason.strip()[:1000] or "unknown error"
    row = TriageResult(
        message_id=message_id, case_id=case_id, result={}, model_version="", status="failed", error=reason
    )
    db.add(row)
    db.flush()
    case = db.get(Case, case_id)
    if case is not None:
        record_event(
            db, case=case, kind="triage_failed", actor=None, data={"message_id": message_id, "reason": reason}
        )
    return row


def failure_reason(exc: Exception) -> str:
    """How a triage failure reads on the case page."""
    message = exc.message if isinstance(exc, AccordError) else str(exc)
    return f"{type(exc).__name__}: {message}"[:1000]


def triage_message(db: Session, *, message_id: int, automatic: bool = False) -> TriageResult:
    """Triage one stored message in the caller's transaction (idempotent: an existing result is returned)."""
    item = read_pending(db, message_id=message_id, automatic=automatic)
    if item is None:
        existing = repo.by_message(db, message_id)
        assert existing is not None
        return existing
    result = score(item)
    if isinstance(result, Exception):
        return mark_failed(
            db, message_id=item.message_id, case_id=item.case_id, reason=failure_reason(result)
        )
    return save_result(db, item=item, result=result)


def pending_ids(db: Session, *, limit: int) -> list[int]:
    """Inbound messages with no result yet (neither triaged nor failed), oldest first."""
    return repo.untriaged_inbound(db, limit)


def pending_on_case(db: Session, *, case: Case) -> list[int]:
    """The case's messages triage has not read yet (the case page waits for these to show evidence)."""
    return repo.untriaged_of_case(db, case.id)


def triage_pending(db: Session, *, limit: int = 100) -> int:
    """Triage pending messages in the caller's transaction (tests, benchmarks); the worker's sweep
    uses `accord.jobs.triage_sweep`, which computes outside transactions and writes one message at a time."""
    ids = pending_ids(db, limit=limit)
    for message_id in ids:
        triage_message(db, message_id=message_id)
    return len(ids)


def get_result(db: Session, *, message_id: int) -> TriageResult | None:
    """The stored result of a message, or None when it has not been triaged yet."""
    return repo.by_message(db, message_id)
