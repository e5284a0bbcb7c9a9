"""Coach on a case: check a reply against the case, draft one, send it only when it passes (P11-P22)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from accord.cadence import service as cadence
from accord.cases.models import Case
from accord.cases.timeline import record_event
from accord.clients.models import Client
from accord.clock import now
from accord.coach.composer import compose_reply, extract_concern
from accord.coach.evaluation import evaluate, parse_rows
from accord.coach.findings import LEGAL_PENDING, CaseContext, Finding, score
from accord.coach.legal_hold import substantive
from accord.coach.rules import check_reply
from accord.errors import Conflict
from accord.intake import service as intake
from accord.intake.models import Message
from accord.offers import service as offers
from accord.playbook.service import active_playbook
from accord.text import clean_text
from accord.users.access import ActorLike, require_write
from accord.users.models import User

OVERRIDE_CHARS = 1000
CONFIRM_FROM_SEVERITY = 3  # a reply with warnings on a case this serious is sent only after a second look


class ReplyBlocked(Conflict):
    """The coach found a blocking problem and no override reason was given (code stays "conflict")."""


class NeedsConfirmation(Conflict):
    """The reply has warnings on a severity 3-4 case: the sender confirms once before it goes (issue 20)."""

    code = "confirm_warnings"


@dataclass
class ReplyCheck:
    """The coach's verdict on one reply: findings in text order and a 0-100 score."""

    findings: list[Finding]
    score: int

    def as_dict(self) -> dict[str, Any]:
        """Plain data for the CLI and API."""
        return {"findings": [f.as_dict() for f in self.findings], "score": self.score}


def _latest_inbound(db: Session, case: Case) -> Message | None:
    inbound = [m for m in intake.list_messages(db, actor=None, case=case) if m.direction == "inbound"]
    return inbound[-1] if inbound else None


def _contact_name(client: Client | None, sender: str) -> str:
    if client is None or not client.contacts:
        return ""
    match = next((c for c in client.contacts if c.email and c.email.lower() == sender.lower()), None)
    name = (match or client.contacts[0]).name.strip()
    return name.split()[0] if name else ""


def _approved_offer(db: Session, case: Case) -> str:
    """The offer the client was given, when there is one (P20)."""
    return str(offers.current_offer_text(db, case=case) or "")


def _next_update(db: Session, case: Case) -> datetime | None:
    """When the client is next due to hear from us, from the cadence clocks (P22)."""
    view = cadence.clock_view(db, actor=None, case=case)
    due = [view[k] for k in ("acknowledge_due_at", "update_due_at") if isinstance(view.get(k), datetime)]
    upcoming: list[datetime] = [d for d in due if d > now()]
    return min(upcoming) if upcoming else None


def case_context(db: Session, *, case: Case) -> CaseContext:
    """The facts the coach checks a reply against: fault, legal state, what the client said, who speaks."""
    message = _latest_inbound(db, case)
    client = db.get(Client, case.client_id)
    owner = db.get(User, case.owner_id) if case.owner_id else None
    text = message.body if message is not None else ""
    return CaseContext(
        fault=case.fault,
        legal_review=case.legal_review,
        client_message=text,
        client_name=client.name if client is not None else "",
        contact_name=_contact_name(client, message.sender if message is not None else ""),
        concern=extract_concern(text),
        offer=_approved_offer(db, case),
        next_update=_next_update(db, case),
        spokesperson=owner.name if owner is not None else "",
        case_ref=case.reference,
    )


def check_case_reply(db: Session, *, case: Case, text: str) -> ReplyCheck:
    """Check a reply against this case's facts (P11, P13, P16, P17, P20)."""
    findings = check_reply(text, case_context=case_context(db, case=case))
    return ReplyCheck(findings=findings, score=score(findings))


def check_typed_reply(db: Session, *, case: Case, text: str) -> ReplyCheck | None:
    """The live check under the reply box (P13): None until something is typed."""
    if not text.strip():
        return None
    return check_case_reply(db, case=case, text=text)


def check_text(text: str) -> ReplyCheck:
    """Check a reply with no case attached."""
    findings = check_reply(text)
    return ReplyCheck(findings=findings, score=score(findings))


def evaluate_replies(lines: Iterable[str]) -> dict[str, Any]:
    """Per-family recall, precision and clean false alarms on labelled replies (issue 19)."""
    return evaluate(parse_rows(lines))


def _playbook_templates(db: Session, case: Case) -> dict[str, str] | None:
    templates = active_playbook(db, workspace_id=case.workspace_id).templates
    return dict(templates) if templates else None


def draft_reply(db: Session, *, case: Case, purpose: str) -> str:
    """A draft for `purpose` from the playbook's template and the case's facts that passes the coach."""
    return compose_reply(case_context(db, case=case), purpose, templates=_playbook_templates(db, case))


def _summary(check: ReplyCheck) -> dict[str, Any]:
    counts = {
        level: sum(1 for f in check.findings if f.severity == level) for level in ("block", "warn", "info")
    }
    return {"score": check.score, **counts, "rules": sorted({f.rule for f in check.findings})}


def _check_legal_hold(case: Case, body: str) -> None:
    """P11: with a legal review required or running, only a holding reply goes out until it is recorded."""
    words = substantive(body) if case.legal_review in LEGAL_PENDING else ""
    if words:
        raise Conflict(
            f"The reply was not sent: the legal review of {case.reference} is "
            f"{case.legal_review.replace('_', ' ')} (P11) and the reply is substantive ('{words}'). Send a "
            "holding reply, or record the review (legal review: done) on the case's facts first.",
            code="legal_review_pending",
            detail={"legal_review": case.legal_review, "words": words},
        )


def needs_confirmation(case: Case, check: ReplyCheck) -> bool:
    """P5, P17: a reply with warnings to a client at severity 3-4 (legal, churn, review threats) gets a
    second look before it goes; a calm case's warnings are shown but do not stop the send."""
    return case.severity >= CONFIRM_FROM_SEVERITY and any(f.severity == "warn" for f in check.findings)


def _check_blocks(check: ReplyCheck, reason: str) -> list[Finding]:
    blocks = [f for f in check.findings if f.severity == "block"]
    if blocks and not reason:
        listed = "; ".join(f"{f.rule}: '{f.text}'" for f in blocks)
        raise ReplyBlocked(
            f"The reply was not sent: the coach found {len(blocks)} blocking problem(s) ({listed}). "
            "Change the reply, or send it with an override reason.",
            detail={"findings": [f.as_dict() for f in blocks], "score": check.score},
        )
    return blocks


def _check_confirmed(case: Case, check: ReplyCheck, confirmed: bool) -> None:
    if confirmed or not needs_confirmation(case, check):
        return
    warnings = [f for f in check.findings if f.severity == "warn"]
    raise NeedsConfirmation(
        f"The reply scores {check.score}/100 with {len(warnings)} warning(s) on a severity {case.severity} "
        "case. Look at them once more; send it if it is right as it is.",
        detail={"findings": [f.as_dict() for f in warnings], "score": check.score},
    )


def send_reply(
    db: Session,
    *,
    actor: ActorLike | None,
    case: Case,
    body: str,
    override_reason: str | None = None,
    channel: str = "email",
    confirmed: bool = True,
) -> Message:
    """Send a reply after the coach checked it; blocking findings need a recorded override (P13-P17).

    With `confirmed=False` (the web's first press of Send) a severity 3-4 reply with warnings is refused
    with `NeedsConfirmation`, so the sender looks once more; the API and CLI send what they are given.
    The score is kept on the message. By email it is queued for SMTP in the same transaction; on other
    channels (a call, a chat) it is recorded as said.
    """
    require_write(actor)
    _check_legal_hold(case, body)
    check = check_case_reply(db, case=case, text=body)
    reason = clean_text(override_reason, field="Override reason", max_chars=OVERRIDE_CHARS)
    blocks = _check_blocks(check, reason)
    _check_confirmed(case, check, confirmed)
    if blocks:
        record_event(
            db,
            case=case,
            kind="coach_override",
            actor=actor,
            data={"reason": reason, "findings": [f.as_dict() for f in blocks]},
        )
    checked = {"reply_checked": _summary(check)}
    if channel == "email":  # the client hears from us: stored, queued and sent by the worker (P22)
        message = intake.send_to_client(db, actor=actor, case=case, body=body, event_data=checked)
    else:
        message = intake.add_outbound_message(
            db, actor=actor, case=case, body=body, channel=channel, event_data=checked
        )
    message.coach_score = check.score
    return message
