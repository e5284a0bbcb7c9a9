"""Case verbs: the only writer of cases. Each verb appends exactly one timeline event (rule 2)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from accord.cases import repository, steps
from accord.cases.facts import LONG_TEXT, valid_choice, valid_severity
from accord.cases.models import (
    CHANNELS,
    DEFAULT_CATEGORIES,
    KINDS,
    NO_DEADLINE,
    Case,
    CaseEvent,
    Note,
)
from accord.cases.schemas import CaseFilter, CaseOut
from accord.cases.timeline import record_event
from accord.cases.transitions import CONFIRMATION_ONLY, check_transition
from accord.clients.models import Client
from accord.clock import ensure_aware, now
from accord.config import get_settings
from accord.errors import Conflict, Invalid, NotFound
from accord.text import clean_text
from accord.users.access import ActorLike, require_role, require_same_workspace, require_write
from accord.users.models import User

CLOSED_STATUSES = ("resolved", "closed")
_REFERENCE = re.compile(r"^\s*(?:ACC-)?(\d{1,9})\s*$", re.IGNORECASE)


def open_case(
    db: Session,
    *,
    actor: ActorLike | None,
    client: Client,
    title: str,
    kind: str = "client_raised",
    channel: str = "manual",
    severity: int | None = None,
    category: str | None = None,
    categories: tuple[str, ...] = DEFAULT_CATEGORIES,
    requested_remedy: str = "",
) -> Case:
    """Open a case for a client (P3); the spokesperson defaults to the client's (P7).

    Severity and category left out start at 2 and "other" for triage to propose; the ones a person gives
    are recorded as chosen in the opening event, and triage never changes them (P4: a person decides)."""
    chosen = [name for name, value in (("severity", severity), ("category", category)) if value is not None]
    require_write(actor)
    require_same_workspace(actor, client.workspace_id, "Client")
    settings = get_settings()
    case = Case(
        workspace_id=client.workspace_id,
        number=repository.allocate_case_number(db, client.workspace_id),
        client_id=client.id,
        title=clean_text(title, field="Title", max_chars=settings.max_title_chars, required=True),
        kind=valid_choice(kind, KINDS, "kind"),
        channel=valid_choice(channel, CHANNELS, "channel"),
        severity=valid_severity(2 if severity is None else severity),
        category=valid_choice(category or "other", categories, "category"),
        requested_remedy=clean_text(requested_remedy, field="Requested remedy", max_chars=LONG_TEXT),
        owner_id=client.default_spokesperson_id or (actor.id if actor is not None else None),
        created_at=now(),
        next_due_at=NO_DEADLINE,  # in the open queue at once; cadence stores the real deadline
    )
    db.add(case)
    db.flush()
    record_event(
        db,
        case=case,
        kind="case_opened",
        actor=actor,
        data={
            "title": case.title,
            "client": client.name,
            "kind": case.kind,
            "channel": case.channel,
            "severity": case.severity,
            "category": case.category,
            "chosen": chosen if actor is not None else [],
        },
    )
    steps.instantiate_steps(db, actor=actor, case=case)  # P2: the playbook's steps for this case
    _hold_if_ended(db, case=case, client=client)
    return case


ENDED_NOTE = "The relationship with this client has ended (P21): kept as a case; an owner must reopen work."


def _hold_if_ended(db: Session, *, case: Case, client: Client) -> None:
    """P3, P21: an ended client's message still becomes a case (nothing lost), held until an owner acts."""
    if client.status == "ended" and case.status != "on_hold":
        _change_status(
            db, actor=None, case=case, status="on_hold", note=ENDED_NOTE, extra={"client_ended": True}
        )


def _require_owner_for_ended(db: Session, *, actor: ActorLike | None, case: Case, status: str) -> None:
    """P21: work for an ended client restarts only when an owner says so (the system may still hold it)."""
    client = db.get(Client, case.client_id)
    if client is None or client.status != "ended" or status == "on_hold" or actor is None:
        return
    require_role(actor, ("owner",), f"reopen work for {client.name}, whose relationship has ended")


def parse_reference(reference: str) -> int:
    """Turn 'ACC-1042' (or '1042') into 1042, or raise Invalid."""
    match = _REFERENCE.match(str(reference))
    if not match:
        raise Invalid(f"'{reference}' is not a case reference like ACC-1042.")
    return int(match.group(1))


def get_case(db: Session, *, actor: ActorLike | None, workspace_id: int, reference: str) -> Case:
    """A case by reference; cases of other workspaces do not exist for the actor (404)."""
    case = repository.case_by_number(db, workspace_id, parse_reference(reference))
    if case is None:
        raise NotFound(f"No case {reference}.")
    require_same_workspace(actor, case.workspace_id, "Case")
    return case


def list_cases(
    db: Session,
    *,
    actor: ActorLike | None,
    workspace_id: int,
    flt: CaseFilter | None = None,
    limit: int = 50,
    offset: int = 0,
    after: str | None = None,
) -> list[Case]:
    """One page of the workspace's cases, newest first; `after` (a cursor) pages without OFFSET."""
    limit = max(1, min(limit, 500))
    cursor = parse_cursor(after) if after else None
    return repository.cases_in(
        db, workspace_id, flt or CaseFilter(), limit=limit, offset=max(0, offset), after=cursor
    )


def queue_page(
    db: Session,
    *,
    actor: ActorLike | None,
    workspace_id: int,
    flt: CaseFilter,
    after: str | None,
    limit: int = 25,
) -> tuple[list[Case], str | None]:
    """One page of open cases, the nearest deadline first (P6, P22), and the cursor of the next page."""
    limit = max(1, min(limit, 200))
    cursor = parse_cursor(after) if after else None
    rows = repository.queue_cases(db, workspace_id, flt, after=cursor, limit=limit + 1)
    page = rows[:limit]
    more = len(rows) > limit and page[-1].next_due_at is not None
    return page, encode_cursor(page[-1].next_due_at, page[-1].id) if more else None  # type: ignore[arg-type]


COUNT_CAP = 1000


def count_open(db: Session, *, actor: ActorLike | None, workspace_id: int, flt: CaseFilter) -> int:
    """How many open cases match, up to COUNT_CAP + 1 (shown as "1,000+"): never a full-table count."""
    return repository.bounded_count(db, workspace_id, flt, cap=COUNT_CAP + 1)


def encode_cursor(at: datetime, case_id: int) -> str:
    """A page cursor a URL can carry: the last row's sort time and id."""
    return f"{ensure_aware(at).strftime('%Y%m%dT%H%M%S.%f')}_{case_id}"


def parse_cursor(text: str) -> repository.Cursor:
    """The cursor back from a URL, or Invalid for anything we did not make."""
    stamp, _, case_id = str(text).partition("_")
    try:
        at = datetime.strptime(stamp, "%Y%m%dT%H%M%S.%f").replace(tzinfo=UTC)
        return at, int(case_id)
    except ValueError as exc:
        raise Invalid("That page link is not valid; start again from the first page.") from exc


def _stamp_status_times(case: Case, status: str) -> None:
    at = now()
    if status == "acknowledged" and case.acknowledged_at is None:
        case.acknowledged_at = at
    elif status == "resolved":
        case.resolved_at = at
    elif status == "closed":
        case.closed_at = at
    elif status == "reopened":
        case.resolved_at = None
        case.closed_at = None


def _change_status(
    db: Session, *, actor: ActorLike | None, case: Case, status: str, note: str, extra: dict[str, Any]
) -> Case:
    check_transition(case.status, status)
    steps.check_gates(db, case=case, target_status=status)  # P9, P11: required steps before a resolution
    check_legal_gate(case, status)
    note = clean_text(note, field="Note", max_chars=5000)
    previous = case.status
    case.status = status
    _stamp_status_times(case, status)
    if status in CLOSED_STATUSES or previous in CLOSED_STATUSES:  # leaves or rejoins the open queue
        case.next_due_at, case.next_due = (None, "") if status in CLOSED_STATUSES else (NO_DEADLINE, "")
    data = {"from": previous, "to": status, "note": note, **extra}
    # the client's yes ticks "Get the client's confirmation" (P23)
    steps.record_and_follow(db, actor=actor, case=case, kind="status_changed", data=data)
    return case


LEGAL_PENDING = ("required", "in_progress")
LEGAL_GATED = ("in_conversation", "resolution_proposed", "awaiting_confirmation")


def check_legal_gate(case: Case, status: str) -> None:
    """P11: while a legal review is required or running, the case does not engage further (conversation,
    a proposal) until a person records the review as done (or not needed) on the case's facts."""
    if status in LEGAL_GATED and case.legal_review in LEGAL_PENDING:
        message = (
            f"{case.reference} cannot move to {status.replace('_', ' ')} while its legal review is "
            f"{case.legal_review.replace('_', ' ')} (P11). Talk to our lawyer, then record the review "
            "(legal review: done) on the case's facts."
        )
        raise Conflict(
            message,
            code="legal_review_pending",
            detail={"message": message, "to": status, "legal_review": case.legal_review},
        )


def move_case(
    db: Session,
    *,
    actor: ActorLike | None,
    case: Case,
    status: str,
    note: str = "",
    root_cause: str = "",
    what_we_change: str = "",
) -> Case:
    """Change status along the lifecycle table; illegal moves raise Conflict (rule 4).

    P23: `resolved` is refused here; only the client's recorded confirmation resolves a case.
    P24: a move to `closed` carries the root cause and what we change (see `close_case`).
    """
    require_write(actor)
    check_transition(case.status, status)
    _require_owner_for_ended(db, actor=actor, case=case, status=status)
    if status in CONFIRMATION_ONLY:
        message = (
            f"{case.reference} is resolved only when the client confirms it (P23). Record the client's "
            "confirmation instead: send them the confirmation link, or record the 'yes' they gave on a call."
        )
        raise Conflict(
            message,
            code="needs_client_confirmation",
            detail={
                "message": message,
                "from": case.status,
                "to": status,
                "record_with": ["confirmation-request", "call-confirmation"],
            },
        )
    extra = _closing_review(case, status, root_cause, what_we_change)
    return _change_status(db, actor=actor, case=case, status=status, note=note, extra=extra)


def _closing_review(case: Case, status: str, root_cause: str, what_we_change: str) -> dict[str, str]:
    """P24: on closing, store why it happened and what we change; the timeline event carries both."""
    if status != "closed":
        return {}
    case.root_cause = clean_text(root_cause, field="Root cause", max_chars=2000)
    case.what_we_change = clean_text(what_we_change, field="What we change", max_chars=2000)
    return {"root_cause": case.root_cause, "what_we_change": case.what_we_change}


CONFIRMED_VIA = ("link", "call")


def resolve_case(
    db: Session, *, actor: ActorLike | None, case: Case, confirmed_via: str, confirmation_id: int, note: str
) -> Case:
    """P23: the client's confirmation (their link answer or a 'yes' on a call) resolves the case.

    Called only by cadence's confirmation verbs, which store the confirmation first; the event
    names which confirmation it was.
    """
    valid_choice(confirmed_via, CONFIRMED_VIA, "confirmation channel")
    extra = {"confirmed_via": confirmed_via, "confirmation_id": confirmation_id}
    return _change_status(db, actor=actor, case=case, status="resolved", note=note, extra=extra)


def acknowledge_case(db: Session, *, actor: ActorLike | None, case: Case, note: str = "") -> Case:
    """P6: the first contact is a quick acknowledgement, not an answer."""
    return move_case(db, actor=actor, case=case, status="acknowledged", note=note)


def escalate_case(db: Session, *, actor: ActorLike | None, case: Case, note: str = "") -> Case:
    """P7: hand a serious case up to the owner/boss."""
    return move_case(db, actor=actor, case=case, status="escalated", note=note)


def close_case(
    db: Session,
    *,
    actor: ActorLike | None,
    case: Case,
    note: str = "",
    root_cause: str = "",
    what_we_change: str = "",
) -> Case:
    """Close a resolved case after its follow-up (P23), with its root cause and what we change (P24)."""
    return move_case(
        db,
        actor=actor,
        case=case,
        status="closed",
        note=note,
        root_cause=root_cause,
        what_we_change=what_we_change,
    )


def reopen_case(db: Session, *, actor: ActorLike | None, case: Case, note: str = "") -> Case:
    """The client came back: the door stays open (P23); for an ended client the case is held (P21)."""
    move_case(db, actor=actor, case=case, status="reopened", note=note)
    client = db.get(Client, case.client_id)
    if client is not None:
        _hold_if_ended(db, case=case, client=client)
    return case


def assign_case(db: Session, *, actor: ActorLike | None, case: Case, owner: User, reason: str = "") -> Case:
    """Name the one spokesperson (P7); every change after the first counts as a hand-off."""
    require_write(actor)
    require_same_workspace(owner, case.workspace_id, "User")
    if not owner.active:
        raise Invalid(f"{owner.name} is not an active user.")
    if case.owner_id == owner.id:
        raise Invalid(f"{owner.name} is already the spokesperson for {case.reference}.")
    previous = case.owner_id
    if previous is not None:
        case.handoff_count += 1
    case.owner_id = owner.id
    record_event(
        db,
        case=case,
        kind="owner_changed",
        actor=actor,
        data={
            "from_user_id": previous,
            "to_user_id": owner.id,
            "to": owner.name,
            "handoff_count": case.handoff_count,
            "reason": clean_text(reason, field="Reason", max_chars=2000),
        },
    )
    return case


def change_client(
    db: Session, *, actor: ActorLike | None, case: Case, client: Client, note: str = ""
) -> Case:
    """Put a case on another client of the workspace (mail from an unknown sender, P3), on the timeline."""
    require_write(actor)
    if client.workspace_id != case.workspace_id:
        raise NotFound("Client not found.")
    if client.id == case.client_id:
        raise Invalid(f"{case.reference} is already on {client.name}.")
    previous = db.get(Client, case.client_id)
    case.client_id = client.id
    data = {"from": previous.name if previous else "?", "to": client.name, "note": note}
    record_event(db, case=case, kind="client_changed", actor=actor, data=data)
    return case


def add_note(db: Session, *, actor: ActorLike | None, case: Case, body: str) -> Note:
    """An internal note; the timeline records that it was added."""
    require_write(actor)
    note = Note(
        case_id=case.id,
        author_id=None if actor is None else actor.id,
        body=clean_text(body, field="Note", max_chars=LONG_TEXT, required=True),
    )
    db.add(note)
    db.flush()
    record_event(db, case=case, kind="note_added", actor=actor, data={"note_id": note.id})
    return note


def list_events(db: Session, *, actor: ActorLike | None, case: Case) -> list[CaseEvent]:
    """The case's timeline, oldest first."""
    return repository.events_of(db, case.id)


def list_notes(db: Session, *, actor: ActorLike | None, case: Case) -> list[Note]:
    """The case's internal notes."""
    return repository.notes_of(db, case.id)


def client_history(
    db: Session, *, client_id: int, limit: int | None = None, exclude_id: int | None = None
) -> list[Case]:
    """A client's cases, newest first (earlier conflicts, P5 and P9); pages pass `limit` to show a few."""
    return repository.cases_of_client(db, client_id, limit=limit, exclude_id=exclude_id)


def client_history_counts(db: Session, *, client_id: int, exclude_id: int) -> tuple[int, int]:
    """The client's other cases and how many were their fault (P5, P9), counted in SQL, not loaded."""
    return repository.client_history_counts(db, client_id, exclude_id)


def describe_case(db: Session, case: Case) -> CaseOut:
    """The case with its client and owner names, for --json and the API."""
    return describe_cases(db, [case])[0]


def describe_cases(db: Session, rows: list[Case]) -> list[CaseOut]:
    """A page of cases with client and owner names: two lookups for the page, not two per row."""
    clients, owners = names_of(db, rows)
    fields = [c for c in CaseOut.model_fields if c not in ("client", "owner")]
    return [
        CaseOut(
            **{c: getattr(case, c) for c in fields},
            client=clients.get(case.client_id, "?"),
            owner=owners.get(case.owner_id) if case.owner_id else None,
        )
        for case in rows
    ]


def names_of(db: Session, rows: list[Case]) -> tuple[dict[int, str], dict[int, str]]:
    """Client and owner names of a page of cases, by id (two queries, whatever the page size)."""
    return repository.names_for(db, {c.client_id for c in rows}, {c.owner_id for c in rows if c.owner_id})


def stale_case_ids(db: Session, *, limit: int) -> list[int]:
    """Cases whose clock cadence must recompute (each timeline event marks one), oldest first."""
    return repository.stale_case_ids(db, limit)


def claim_clock_refresh(db: Session, *, case_id: int) -> bool:
    """Take a changed case off the sweep's work list; False when another sweep took it first (issue 23)."""
    return repository.claim_stale(db, case_id)


def store_due(db: Session, *, case: Case, due_at: datetime | None, due: str) -> None:
    """Store the next deadline and what it is, for the queue's order (derived: no timeline event).

    Cadence computes it; a resolved or closed case leaves the open queue (NULL).
    """
    case.next_due_at = None if case.status in CLOSED_STATUSES else (due_at or NO_DEADLINE)
    case.next_due = "" if case.status in CLOSED_STATUSES else due
    case.clock_stale = False
    db.flush()
