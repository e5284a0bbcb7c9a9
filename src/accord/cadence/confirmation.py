"""P23: a case is resolved only when the client says so; then a follow-up asks how we did.

Links are signed (itsdangerous, one salt per purpose), carry their own expiry (checked against
`clock.now()` so tests can travel in time) and a nonce stored in the database, set used on use.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import update
from sqlalchemy.orm import Session

from accord.cadence import repository
from accord.cadence.models import Confirmation, FollowUp
from accord.cadence.policy import follow_up_delay
from accord.cases import service as cases
from accord.cases.models import Case
from accord.clock import now
from accord.config import get_settings
from accord.errors import AccordError, Conflict, Invalid
from accord.intake import service as intake
from accord.notify import service as notify
from accord.playbook.service import active_playbook
from accord.text import clean_text
from accord.users.access import ActorLike, require_write
from accord.users.models import User, Workspace
from accord.users.team import public_base_url

CONFIRM_SALT = "accord.confirm-resolution"
FOLLOW_UP_SALT = "accord.follow-up"
CONFIRM_VALID = timedelta(days=14)
FOLLOW_UP_VALID = timedelta(days=60)
FOLLOW_UP_QUESTION = (
    "Leaving the outcome aside: how well did we handle your concern - how quickly we answered, "
    "how clearly we kept you informed, how fairly we treated you? Please rate it from 1 (poorly) "
    "to 5 (very well) and tell us anything we should do better."
)


class LinkRefused(AccordError):
    """A confirmation or follow-up link that cannot be used; the message says why, plainly."""

    code = "link_refused"
    status = 400


def _serializer(salt: str) -> URLSafeSerializer:
    return URLSafeSerializer(get_settings().secret_key, salt=salt)


def make_token(salt: str, case_id: int, nonce: str, valid_for: timedelta) -> str:
    """A signed link token naming the case, the nonce and when it stops working."""
    expires = (now() + valid_for).isoformat()
    return str(_serializer(salt).dumps({"c": case_id, "n": nonce, "e": expires}))


def _open_token(salt: str, token: str) -> dict[str, Any]:
    try:
        data = _serializer(salt).loads(token)
    except BadSignature as exc:
        raise LinkRefused(
            "This link is not valid. It may have been copied incompletely; "
            "please use the link from the email or contact us."
        ) from exc
    if not isinstance(data, dict) or not {"c", "n", "e"} <= data.keys():
        raise LinkRefused("This link is not valid.")
    if now() > datetime.fromisoformat(data["e"]):
        raise LinkRefused(
            "This link has expired. Please reply to our email or call us and we will send you a new one.",
            code="link_expired",
        )
    return data


def _mail_client(db: Session, *, case: Case, key: str, subject: str, body: str) -> None:
    """An automatic mail on the case's thread (threading headers, Auto-Submitted); skipped with no address."""
    if "@" in intake.client_address(db, case=case):
        intake.send_to_client(db, actor=None, case=case, body=body, subject=subject, automatic=True, key=key)


def _client_said(db: Session, *, case: Case, subject: str, body: str) -> None:
    """The client's answer on our page joins the message thread, in order, with its channel (P23)."""
    intake.add_inbound_message(
        db,
        actor=None,
        case=case,
        body=body,
        channel="form",
        subject=subject,
        sender=intake.client_address(db, case=case),
    )


def link_base(db: Session, case: Case, request_base_url: str | None = None) -> str:
    """Links in mails use the workspace's base URL, else the address of the request (never a fixed port)."""
    return public_base_url(db.get(Workspace, case.workspace_id), request_base_url)


def confirm_url(token: str, base_url: str | None = None) -> str:
    """The public address of a confirmation page."""
    return f"{(base_url or get_settings().base_url).rstrip('/')}/confirm/{token}"


def request_confirmation(
    db: Session, *, actor: ActorLike | None, case: Case, request_base_url: str | None = None
) -> tuple[Confirmation, str]:
    """Ask the client whether the problem is solved: awaiting_confirmation + an emailed single-use link.

    `request_base_url` is where the person asking reached us; the workspace's base URL wins over it.
    """
    require_write(actor)
    cases.move_case(
        db,
        actor=actor,
        case=case,
        status="awaiting_confirmation",
        note="Asked the client to confirm the resolution.",
    )
    confirmation = Confirmation(case_id=case.id, nonce=secrets.token_urlsafe(24), created_at=now())
    db.add(confirmation)
    db.flush()
    token = make_token(CONFIRM_SALT, case.id, confirmation.nonce, CONFIRM_VALID)
    url = confirm_url(token, link_base(db, case, request_base_url))
    body = (
        f"We believe the problem in {case.reference} ({case.title}) is now solved.\n"
        f"Only you can tell us whether it is. Please answer here:\n\n{url}\n\n"
        f"If it is not solved yet, say so on that page and we will keep working on it."
    )
    _mail_client(
        db, case=case, key=f"confirm:{confirmation.id}", subject=f"Is it solved? {case.title}", body=body
    )
    return confirmation, url


def read_confirmation(db: Session, *, token: str) -> tuple[Confirmation, Case]:
    """Check a confirmation link without using it: tampered, expired, reused or wrong-case links fail."""
    data = _open_token(CONFIRM_SALT, token)
    confirmation = repository.confirmation_by_nonce(db, str(data["n"]))
    if confirmation is None:
        raise LinkRefused("This link is not valid.")
    if confirmation.case_id != data["c"]:
        raise LinkRefused(
            "This link does not belong to this case. Please use the link from our latest email.",
            code="link_wrong_case",
        )
    if confirmation.used_at is not None:
        raise LinkRefused(
            "This link was already used, thank you. If something is still wrong, just reply to our email.",
            code="link_used",
        )
    case = db.get(Case, confirmation.case_id)
    assert case is not None
    if case.status != "awaiting_confirmation":
        raise LinkRefused(
            "This case is no longer waiting for your answer. If something is still wrong, "
            "just reply to our email.",
            code="link_stale",
        )
    return confirmation, case


def answer_confirmation(db: Session, *, token: str, resolved: bool, comment: str = "") -> Case:
    """The client's answer: yes -> resolved (+ follow-up); not yet -> back to conversation + alert (P23)."""
    confirmation, case = read_confirmation(db, token=token)
    comment = clean_text(comment, field="Comment", max_chars=5000)
    claimed = db.execute(
        update(Confirmation)
        .where(Confirmation.id == confirmation.id, Confirmation.used_at.is_(None))
        .values(used_at=now(), answer="yes" if resolved else "not_yet", comment=comment)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        raise LinkRefused("This link was already used, thank you.", code="link_used")
    said = f"Client answered: {'resolved' if resolved else 'not yet'}." + (f" {comment}" if comment else "")
    _client_said(
        db,
        case=case,
        subject="Answer on the confirmation page",
        body=("Yes, it is solved." if resolved else "Not yet.") + (f" {comment}" if comment else ""),
    )
    if resolved:  # P23: the client's own "yes" is what resolves the case
        cases.resolve_case(
            db, actor=None, case=case, confirmed_via="link", confirmation_id=confirmation.id, note=said
        )
        schedule_follow_up(db, case=case)
        return case
    cases.move_case(db, actor=None, case=case, status="in_conversation", note=said)
    owner = db.get(User, case.owner_id) if case.owner_id else None
    if owner is not None:
        notify.enqueue(
            db,
            key=f"not-yet:{confirmation.id}",
            recipient=owner.email,
            subject=f"Not solved yet: {case.reference}",
            workspace_id=case.workspace_id,
            case_id=case.id,
            body=f"The client says {case.reference} is not solved yet.\n\n"
            f"Their comment: {comment or '(none)'}\n",
        )
    return case


def record_call_confirmation(db: Session, *, actor: ActorLike | None, case: Case, note: str) -> Case:
    """The client confirmed on a call; the spokesperson records it with a note (P23)."""
    require_write(actor)
    note = clean_text(note, field="Note", max_chars=5000, required=True)
    if case.status not in ("resolution_proposed", "awaiting_confirmation"):
        raise Conflict(
            f"{case.reference} is {case.status}; propose a resolution before recording the "
            "client's confirmation."
        )
    if case.status == "resolution_proposed":
        cases.move_case(db, actor=actor, case=case, status="awaiting_confirmation", note="Asked on a call.")
    confirmation = Confirmation(
        case_id=case.id,
        nonce=secrets.token_urlsafe(24),
        channel="call",
        used_at=now(),
        answer="yes",
        comment=note,
        recorded_by_id=None if actor is None else actor.id,
    )
    db.add(confirmation)
    db.flush()
    cases.resolve_case(
        db,
        actor=actor,
        case=case,
        confirmed_via="call",
        confirmation_id=confirmation.id,
        note=f"Client confirmed on a call: {note}",
    )
    schedule_follow_up(db, case=case)
    return case


def schedule_follow_up(db: Session, *, case: Case) -> FollowUp:
    """Plan the check-in after the playbook's delay (default 14 days)."""
    follow_up = FollowUp(
        case_id=case.id,
        nonce=secrets.token_urlsafe(24),
        question=FOLLOW_UP_QUESTION,
        scheduled_at=now() + follow_up_delay(active_playbook(db, workspace_id=case.workspace_id)),
    )
    db.add(follow_up)
    db.flush()
    return follow_up


def send_due_follow_ups(db: Session) -> int:
    """Send each due follow-up once: the row is claimed by a guarded update before the outbox write."""
    sent = 0
    for follow_up in repository.follow_ups_due(db, now()):
        claimed = db.execute(
            update(FollowUp)
            .where(FollowUp.id == follow_up.id, FollowUp.sent_at.is_(None))
            .values(sent_at=now())
        )
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            continue
        case = db.get(Case, follow_up.case_id)
        assert case is not None
        token = make_token(FOLLOW_UP_SALT, case.id, follow_up.nonce, FOLLOW_UP_VALID)
        url = f"{link_base(db, case)}/follow-up/{token}"
        _mail_client(
            db,
            case=case,
            key=f"follow-up:{follow_up.id}",
            subject=f"How did we do? {case.title}",
            body=f"{follow_up.question}\n\n{url}\n",
        )
        sent += 1
    return sent


def read_follow_up(db: Session, *, token: str) -> tuple[FollowUp, Case]:
    """Check a follow-up link without using it."""
    data = _open_token(FOLLOW_UP_SALT, token)
    follow_up = repository.follow_up_by_nonce(db, str(data["n"]))
    if follow_up is None or follow_up.case_id != data["c"]:
        raise LinkRefused("This link does not belong to this case.", code="link_wrong_case")
    if follow_up.answered_at is not None:
        raise LinkRefused("You already answered, thank you.", code="link_used")
    case = db.get(Case, follow_up.case_id)
    assert case is not None
    return follow_up, case


def answer_follow_up(db: Session, *, token: str, rating: int, comment: str = "") -> FollowUp:
    """Store how the client rates our handling (1-5), then close the case if it is still resolved."""
    follow_up, case = read_follow_up(db, token=token)
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise Invalid("Please choose a rating from 1 to 5.")
    follow_up.rating, follow_up.answered_at = rating, now()
    follow_up.answer = clean_text(comment, field="Comment", max_chars=5000)
    db.flush()
    _client_said(
        db,
        case=case,
        subject="Follow-up rating",
        body=f"Rated our handling {rating}/5." + (f" {follow_up.answer}" if follow_up.answer else ""),
    )
    if case.status == "resolved":
        cases.close_case(db, actor=None, case=case, note=f"Follow-up answered: rated {rating}/5.")
    return follow_up
