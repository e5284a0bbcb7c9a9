"""Cadence verbs: keep each case's clock, remind and escalate exactly once (P6, P22).

Clocks are derived, not hooked: every timeline event marks its case's clock stale, the sweep
recomputes exactly those (claimed once each), so no other domain has to call us and nothing can be
missed; the API computes a fresh view on read. Each clock carries its next check time, which the
sweep claims and moves on, so deadlines already handled cost nothing (issue 23).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any, NamedTuple, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from accord.cadence import policy, repository
from accord.cadence.confirmation import send_due_follow_ups
from accord.cadence.models import CadenceSettings, CaseClock, Reminder
from accord.cases import service as cases
from accord.cases.models import Case
from accord.cases.timeline import record_event
from accord.clock import now
from accord.db import insert_once
from accord.errors import Invalid
from accord.notify import service as notify
from accord.notify import webhooks as notify_hooks
from accord.playbook.service import active_playbook
from accord.text import clean_text
from accord.users.access import ActorLike, require_role, require_write
from accord.users.auth import record_audit
from accord.users.models import User


class ClockRule(NamedTuple):
    """One kind of deadline: its stored clock column, the playbook's target field, the draft's purpose."""

    column: str
    target: str
    purpose: str


CLOCK_RULES = {
    "acknowledge": ClockRule("acknowledge_due_at", "acknowledge_within", "acknowledge"),
    "update": ClockRule("update_due_at", "update_every", "update"),
    "resolve": ClockRule("resolve_due_at", "resolve_within", "update"),
}


def hours_for(db: Session, workspace_id: int) -> policy.BusinessHours:
    """The workspace's working hours (default Mon-Fri 09:00-17:00 UTC)."""
    row = repository.settings_of(db, workspace_id)
    if row is None:
        return policy.BusinessHours()
    return policy.BusinessHours(
        timezone=row.timezone,
        start=time.fromisoformat(row.day_start),
        end=time.fromisoformat(row.day_end),
        weekdays=frozenset(row.weekdays),
        holidays=frozenset(date.fromisoformat(d) for d in row.holidays),
    )


def configure_hours(
    db: Session,
    *,
    actor: ActorLike | None,
    workspace_id: int,
    timezone: str = "UTC",
    day_start: str = "09:00",
    day_end: str = "17:00",
    weekdays: list[int] | None = None,
    holidays: list[date] | None = None,
    webhook_url: str | None = None,
) -> CadenceSettings:
    """Save working hours and holidays; owners and leads decide them; open cases' clocks follow (P6, P22)."""
    require_role(actor, ("owner", "lead"), "change working hours")
    try:
        ZoneInfo(timezone)
        if time.fromisoformat(day_start) >= time.fromisoformat(day_end):
            raise ValueError
    except (ValueError, KeyError) as exc:
        raise Invalid("Give a known time zone and a working day that starts before it ends.") from exc
    if weekdays is not None and (not weekdays or not set(weekdays) <= set(range(7))):
        raise Invalid("Pick at least one working day (Monday to Sunday).", detail={"field": "weekdays"})
    row = repository.settings_of(db, workspace_id) or CadenceSettings(workspace_id=workspace_id)
    row.timezone, row.day_start, row.day_end = timezone, day_start, day_end
    if webhook_url is not None or row.webhook_url is None:
        row.webhook_url = webhook_url or ""
    row.weekdays = sorted(weekdays if weekdays is not None else [0, 1, 2, 3, 4])
    row.holidays = sorted(d.isoformat() for d in holidays or [])
    db.add(row)
    db.flush()
    for case in repository.open_cases(db, workspace_id):  # the queue's stored due times follow at once
        refresh_clock(db, case=case)
    if actor is not None:
        detail = f"{timezone} {day_start}-{day_end} days={row.weekdays} holidays={len(row.holidays)}"
        record_audit(db, workspace_id=workspace_id, actor=actor.name, action="hours_changed", detail=detail)
    return row


def parse_days(text: str) -> list[date]:
    """Holidays as typed on the settings page: one YYYY-MM-DD per line or comma; a bad one is named."""
    days: list[date] = []
    for item in text.replace(",", "\n").split():
        try:
            days.append(date.fromisoformat(item))
        except ValueError:
            raise Invalid(
                f"'{item[:40]}' is not a date; write holidays as YYYY-MM-DD, one per line.",
                detail={"field": "holidays"},
            ) from None
    if len(days) > 400:
        raise Invalid("At most 400 holidays.", detail={"field": "holidays"})
    return days


def compute_for(db: Session, case: Case) -> tuple[policy.ClockTimes, policy.ClockFacts]:
    """The case's deadlines right now, from its status, timeline and messages."""
    times, facts, _targets = _compute(db, case)
    return times, facts


def _compute(db: Session, case: Case) -> tuple[policy.ClockTimes, policy.ClockFacts, policy.TargetsLike]:
    facts = policy.ClockFacts(
        status=case.status,
        opened_at=case.created_at,
        acknowledged_at=case.acknowledged_at,
        last_update_at=repository.last_outbound_at(db, case.id),
        pauses=policy.pause_intervals(repository.events_for_pauses(db, case.id)),
    )
    targets = policy.targets_for(active_playbook(db, workspace_id=case.workspace_id), case.severity)
    return policy.compute_clock(facts, targets, hours_for(db, case.workspace_id)), facts, targets


def _new_clock(db: Session, case: Case) -> CaseClock:
    """Create the clock row; when another worker just created it, use theirs (unique case_id)."""
    values = {"case_id": case.id, "workspace_id": case.workspace_id, "refreshed_at": now()}
    clock = insert_once(db, CaseClock, values, "case_id") or repository.clock_of(db, case.id)
    assert clock is not None, "the clock row was created concurrently but cannot be read"
    return clock  # type: ignore[no-any-return]


def refresh_clock(db: Session, *, case: Case) -> CaseClock:
    """Store the case's deadlines in the indexed `*_due_at` columns, the sweep's next check and the
    queue's next due time on the case (issue 23: each is claimed once, nothing is re-read per minute)."""
    times, facts, targets = _compute(db, case)
    clock = repository.clock_of(db, case.id) or _new_clock(db, case)
    dues = (times.acknowledge_due_at, times.update_due_at, times.resolve_due_at)
    if dues != (clock.acknowledge_due_at, clock.update_due_at, clock.resolve_due_at):
        clock.next_check_at = policy.next_check(times, targets, after=None)  # else the sweep's own is right
    clock.acknowledge_due_at = times.acknowledge_due_at
    clock.update_due_at = times.update_due_at
    clock.resolve_due_at = times.resolve_due_at
    clock.paused_at = times.paused_at
    clock.last_update_at = facts.last_update_at
    follow_up = repository.pending_follow_up(db, case.id)
    clock.follow_up_due_at = follow_up.scheduled_at if follow_up and not follow_up.sent_at else None
    clock.refreshed_at = max(now(), case.updated_at)
    db.add(clock)
    due_at, due = policy.next_due(times)
    cases.store_due(db, case=case, due_at=due_at, due=due)
    return clock


def clock_view(db: Session, *, actor: ActorLike | None, case: Case) -> dict[str, Any]:
    """A fresh look at a case's deadlines, for the API and the CLI."""
    times, facts = compute_for(db, case)
    follow_up = repository.pending_follow_up(db, case.id)
    return {
        "reference": case.reference,
        "status": case.status,
        "severity": case.severity,
        "acknowledge_due_at": times.acknowledge_due_at,
        "update_due_at": times.update_due_at,
        "resolve_due_at": times.resolve_due_at,
        "follow_up_due_at": follow_up.scheduled_at if follow_up else None,
        "paused": times.paused_at is not None,
        "paused_at": times.paused_at,
        "last_update_at": facts.last_update_at,
    }


def mark_waiting_on_client(db: Session, *, actor: ActorLike | None, case: Case, note: str = "") -> Case:
    """Record that we wait on the client: the update and resolve clocks stop until they write (P22)."""
    require_write(actor)
    note = clean_text(note, field="Note", max_chars=2000)
    record_event(db, case=case, kind="waiting_on_client", actor=actor, data={"note": note})
    refresh_clock(db, case=case)
    return case


class DraftReply(Protocol):
    """Writes a draft reply for a case; the job passes the coach's composer (coach sits above cadence)."""

    def __call__(self, db: Session, *, case: Case, purpose: str) -> str: ...


def _draft_for(db: Session, case: Case, purpose: str, draft_reply: DraftReply | None) -> str:
    """The composer's draft when the caller gave one; a reminder never fails for want of it."""
    if draft_reply is None:
        return ""
    try:
        with db.begin_nested():  # whatever the composer does, it cannot spoil the sweep's transaction
            return str(draft_reply(db, case=case, purpose=purpose) or "")
    except Exception:  # an optional helper; the reminder matters more than the draft
        return ""


def _recipients(db: Session, case: Case, level: str) -> list[User]:
    users: list[User] = []
    owner = db.get(User, case.owner_id) if case.owner_id else None
    if owner is not None and owner.active:
        users.append(owner)
    if level == "escalation":
        users += [u for u in repository.owners_of(db, case.workspace_id) if u not in users]
    return users


def _reminder_key(clock: CaseClock, kind: str, level: str) -> str:
    """One key per case, deadline kind, level and due time: the unique index sends each once."""
    return f"{clock.case_id}:{kind}:{level}:{getattr(clock, CLOCK_RULES[kind].column).isoformat()}"


def _remind(db: Session, clock: CaseClock, kind: str, level: str, draft: str) -> Reminder | None:
    """Insert the reminder guarded by its unique key, then its outbox rows and its timeline note."""
    case = db.get(Case, clock.case_id)
    due = getattr(clock, CLOCK_RULES[kind].column)
    assert case is not None and due is not None
    users = _recipients(db, case, level)
    key = _reminder_key(clock, kind, level)
    values = {
        "key": key,
        "case_id": case.id,
        "workspace_id": case.workspace_id,
        "kind": kind,
        "level": level,
        "due_at": due,
        "recipients": [u.id for u in users],
        "created_at": now(),
        "draft": draft,
    }
    reminder: Reminder | None = insert_once(db, Reminder, values, "key")
    if reminder is None:  # another worker (or an earlier sweep) already sent this one
        return None
    when = due.strftime("%Y-%m-%d %H:%M UTC")
    subject = f"{'Overdue' if level == 'escalation' else 'Due'}: {kind} on {case.reference} ({when})"
    body = f"{case.reference} {case.title}\nThe {kind} for this case is due at {when}.\n"
    if reminder.draft:
        body += f"\nA draft you can start from:\n\n{reminder.draft}\n"
    for user in users:
        notify.enqueue(
            db,
            key=f"{key}:{user.id}",
            recipient=user.email,
            subject=subject,
            body=body,
            workspace_id=case.workspace_id,
            case_id=case.id,
        )
    _post_to_webhooks(db, case, kind, level, due.isoformat(), key)
    data = {"kind": kind, "level": level, "due_at": due.isoformat(), "to": [u.name for u in users]}
    record_event(db, case=case, kind="reminder_sent", actor=None, data=data, affects_clock=False)
    return reminder


def _hook_urls(db: Session, workspace_id: int) -> list[str]:
    """The settings page's webhooks, plus the older single URL kept with the working hours."""
    urls = notify_hooks.webhook_urls(db, workspace_id=workspace_id)
    legacy = repository.settings_of(db, workspace_id)
    if legacy is not None and legacy.webhook_url and legacy.webhook_url not in urls:
        urls.append(legacy.webhook_url)
    return urls


def _post_to_webhooks(db: Session, case: Case, kind: str, level: str, due_at: str, key: str) -> None:
    """One signed event per webhook URL, through the outbox (sent after commit, retried, never twice)."""
    payload = {"event": level, "kind": kind, "case": case.reference, "due_at": due_at, "key": key}
    for index, url in enumerate(_hook_urls(db, case.workspace_id)):
        notify.enqueue(
            db,
            key=f"{key}:webhook" + (f":{index}" if index else ""),
            recipient=url,
            transport="webhook",
            payload=payload,
            workspace_id=case.workspace_id,
            case_id=case.id,
        )


@dataclass
class SweepResult:
    """What one sweep did; `more` when a batch was full and another pass has work."""

    refreshed: int = 0
    reminders: list[str] = field(default_factory=list)
    follow_ups: int = 0
    more: bool = False


def _due_levels(clock: CaseClock, targets: policy.TargetsLike, at: datetime) -> list[tuple[str, str]]:
    """Which deadlines of a clock call for a warning (before) or an escalation (after) at `at`."""
    levels = []
    for kind, (column, target, _purpose) in CLOCK_RULES.items():
        due = getattr(clock, column)
        if due is not None and at >= due:
            levels.append((kind, "escalation"))
        elif due is not None and at >= due - policy.warning_lead(getattr(targets, target)):
            levels.append((kind, "reminder"))
    return levels


Planned = tuple[CaseClock, datetime | None, list[tuple[str, str, str]]]


def _plan(db: Session, clock: CaseClock, at: datetime, draft_reply: DraftReply | None) -> Planned:
    """Reads only: the clock's next check after `at`, and each reminder due now with its draft.

    Drafts are composed here, before the batch writes anything, so the slow part of a reminder
    never runs while the batch holds SQLite's write lock.
    """
    case = db.get(Case, clock.case_id)
    assert case is not None
    targets = policy.targets_for(active_playbook(db, workspace_id=case.workspace_id), case.severity)
    times = policy.ClockTimes(clock.acknowledge_due_at, clock.update_due_at, clock.resolve_due_at, None)
    sends = []
    for kind, level in _due_levels(clock, targets, at):
        sent = repository.reminder_exists(db, _reminder_key(clock, kind, level))
        draft = "" if sent else _draft_for(db, case, CLOCK_RULES[kind].purpose, draft_reply)
        sends.append((kind, level, draft))
    return clock, policy.next_check(times, targets, after=at), sends


def _remind_due(db: Session, result: SweepResult, draft_reply: DraftReply | None, limit: int) -> None:
    """Claim each clock whose next check has come (one conditional UPDATE moves it on), then act on it.

    A clock with nothing left to check has NULL there and is never read again by the sweep.
    """
    at = now()
    due = repository.clocks_to_check(db, at, limit)
    planned = [_plan(db, clock, at, draft_reply) for clock in due]
    for clock, following, sends in planned:  # the writes, close together
        if not repository.claim_check(db, clock, following):
            continue  # another sweep took it
        for kind, level, draft in sends:
            made = _remind(db, clock, kind, level, draft)
            if made is not None:
                result.reminders.append(made.key)
    result.more = result.more or len(due) >= limit


def refresh_changed_clocks(db: Session, *, limit: int = 200) -> tuple[int, bool]:
    """Store the deadlines of cases whose timeline changed (a partial index holds them), claiming each
    once. The minute sweep calls it, and so does the mail pump every few seconds, so a new case takes
    its place in the queue's due order (P6) within seconds. Returns (refreshed, more left)."""
    stale = cases.stale_case_ids(db, limit=limit)
    refreshed = 0
    for case_id in stale:
        case = db.get(Case, case_id)
        if case is None or not cases.claim_clock_refresh(db, case_id=case_id):
            continue
        refresh_clock(db, case=case)
        refreshed += 1
    return refreshed, len(stale) >= limit


def sweep_due(db: Session, *, draft_reply: DraftReply | None = None, limit: int = 200) -> SweepResult:
    """The periodic job: refresh changed clocks, remind/escalate what is due, send due follow-ups.

    Work is claimed row by row from partial indexes of what is pending, at most `limit` of each kind
    per call, so with nothing due it reads two empty index ranges (issue 23). `draft_reply` (the
    coach's composer, passed in by the job) puts a draft in each reminder.
    """
    result = SweepResult()
    result.refreshed, result.more = refresh_changed_clocks(db, limit=limit)
    _remind_due(db, result, draft_reply, limit)
    result.follow_ups = send_due_follow_ups(db)
    return result


def list_reminders(db: Session, *, actor: ActorLike | None, workspace_id: int) -> list[dict[str, Any]]:
    """The workspace's reminders and escalations, newest first, as plain rows for the surfaces."""
    rows = []
    for reminder in repository.reminders_in(db, workspace_id):
        case = db.get(Case, reminder.case_id)
        names = [u.name for u in (db.get(User, i) for i in reminder.recipients) if u is not None]
        rows.append(
            {
                "key": reminder.key,
                "reference": case.reference if case else "?",
                "kind": reminder.kind,
                "level": reminder.level,
                "due_at": reminder.due_at,
                "created_at": reminder.created_at,
                "to": names,
                "has_draft": bool(reminder.draft),
            }
        )
    return rows


def sla_status(db: Session, *, actor: ActorLike | None, workspace_id: int) -> list[dict[str, Any]]:
    """Every open case's deadlines and whether one has passed, for `accord sla status`."""
    at = now()
    rows = []
    for case in repository.open_cases(db, workspace_id):
        view = clock_view(db, actor=actor, case=case)
        dues = [view[k] for k in ("acknowledge_due_at", "update_due_at", "resolve_due_at") if view[k]]
        view["overdue"] = any(d <= at for d in dues)
        view["next_due_at"] = min(dues) if dues else None
        rows.append(view)
    return rows
