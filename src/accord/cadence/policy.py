"""Pure SLA deadlines: working time, holidays and pauses while we wait on the client (P6, P22)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from accord.clock import ensure_aware
from accord.playbook.definition import Playbook

DEFAULT_FOLLOW_UP = timedelta(days=14)
CLOSED = ("resolved", "closed")
Interval = tuple[datetime, datetime | None]


class TargetsLike(Protocol):
    """What the playbook's SLA entry offers (accord.playbook.definition.SlaTarget fits)."""

    @property
    def acknowledge_within(self) -> timedelta: ...

    @property
    def update_every(self) -> timedelta: ...

    @property
    def resolve_within(self) -> timedelta: ...


@dataclass(frozen=True)
class Targets:
    """Our own fallback SLA targets when no playbook is installed."""

    acknowledge_within: timedelta
    update_every: timedelta
    resolve_within: timedelta


# Severity 4 is the most serious: acknowledged within the hour, updated every 4 working hours.
DEFAULT_TARGETS: dict[int, Targets] = {
    1: Targets(timedelta(days=1), timedelta(days=3), timedelta(days=10)),
    2: Targets(timedelta(hours=8), timedelta(days=2), timedelta(days=7)),
    3: Targets(timedelta(hours=4), timedelta(days=1), timedelta(days=5)),
    4: Targets(timedelta(hours=1), timedelta(hours=4), timedelta(days=2)),
}


@dataclass(frozen=True)
class BusinessHours:
    """When the team works: weekdays 0=Monday, local times in `timezone`, closed on holidays."""

    timezone: str = "UTC"
    start: time = time(9, 0)
    end: time = time(17, 0)
    weekdays: frozenset[int] = frozenset({0, 1, 2, 3, 4})
    holidays: frozenset[date] = field(default_factory=frozenset)

    @property
    def day_length(self) -> timedelta:
        """Length of one working day; a "day" in an SLA target means one working day."""
        return datetime.combine(date.min, self.end) - datetime.combine(date.min, self.start)

    def window(self, day: date) -> tuple[datetime, datetime] | None:
        """The working window of a local calendar day, in UTC, or None on a day off."""
        if day.weekday() not in self.weekdays or day in self.holidays:
            return None
        zone = ZoneInfo(self.timezone)
        opens = datetime.combine(day, self.start, tzinfo=zone)
        closes = datetime.combine(day, self.end, tzinfo=zone)
        return ensure_aware(opens), ensure_aware(closes)


def working_amount(duration: timedelta, hours: BusinessHours) -> timedelta:
    """SLA durations in working time: each whole day is a working day, the rest working hours."""
    return hours.day_length * duration.days + timedelta(seconds=duration.seconds)


def _free_segments(start: datetime, end: datetime, pauses: list[Interval]) -> list[tuple[datetime, datetime]]:
    """Cut the pauses out of [start, end)."""
    segments = [(start, end)]
    for p_start, p_end in pauses:
        p_stop = p_end or datetime.max.replace(tzinfo=start.tzinfo)
        cut: list[tuple[datetime, datetime]] = []
        for s, e in segments:
            if p_stop <= s or p_start >= e:
                cut.append((s, e))
                continue
            if s < p_start:
                cut.append((s, p_start))
            if p_stop < e:
                cut.append((p_stop, e))
        segments = cut
    return segments


def add_working_time(
    start: datetime, duration: timedelta, hours: BusinessHours, pauses: Iterable[Interval] = ()
) -> datetime | None:
    """The moment `duration` of working time after `start`, skipping pauses; None while paused for good."""
    start = ensure_aware(start)
    pause_list = sorted(pauses, key=lambda p: p[0])
    left = working_amount(duration, hours)
    day = start.astimezone(ZoneInfo(hours.timezone)).date() - timedelta(days=1)
    for _ in range(3700):
        window = hours.window(day)
        day += timedelta(days=1)
        if window is None or window[1] <= start:
            continue
        for s, e in _free_segments(max(window[0], start), window[1], pause_list):
            if e - s >= left:
                return s + left
            left -= e - s
        if any(p_end is None and p_start <= window[1] for p_start, p_end in pause_list):
            return None
    return None


def pause_intervals(events: Iterable[tuple[str, datetime, dict[str, Any]]]) -> list[Interval]:
    """When the clock stood still: awaiting the client's confirmation or a recorded "waiting on client".

    A message from the client resumes the clock (P22); so does any status change that leaves the wait.
    """
    out: list[Interval] = []
    awaiting = waiting = False
    started: datetime | None = None
    for kind, at, data in events:
        if kind == "status_changed":
            awaiting, waiting = data.get("to") == "awaiting_confirmation", False
        elif kind == "waiting_on_client":
            waiting = True
        elif kind == "message_received":
            awaiting = waiting = False
        paused = awaiting or waiting
        if paused and started is None:
            started = at
        elif not paused and started is not None:
            out.append((started, at))
            started = None
    if started is not None:
        out.append((started, None))
    return out


@dataclass(frozen=True)
class ClockFacts:
    """What the deadlines depend on, read from a case and its timeline."""

    status: str
    opened_at: datetime
    acknowledged_at: datetime | None
    last_update_at: datetime | None
    pauses: list[Interval]


@dataclass(frozen=True)
class ClockTimes:
    """The computed due times; None where a rule does not apply (or the clock is paused)."""

    acknowledge_due_at: datetime | None
    update_due_at: datetime | None
    resolve_due_at: datetime | None
    paused_at: datetime | None


def compute_clock(facts: ClockFacts, targets: TargetsLike, hours: BusinessHours) -> ClockTimes:
    """P6: acknowledge quickly; P22: update regularly; resolve within the target; pauses stop the clock."""
    paused_at = facts.pauses[-1][0] if facts.pauses and facts.pauses[-1][1] is None else None
    if facts.status in CLOSED:
        return ClockTimes(None, None, None, None)
    ack = None
    if facts.acknowledged_at is None:
        ack = add_working_time(facts.opened_at, targets.acknowledge_within, hours)
    update = None
    if facts.acknowledged_at is not None:
        since = max(t for t in (facts.acknowledged_at, facts.last_update_at) if t is not None)
        update = add_working_time(since, targets.update_every, hours, facts.pauses)
    resolve = add_working_time(facts.opened_at, targets.resolve_within, hours, facts.pauses)
    return ClockTimes(ack, update, resolve, paused_at)


def warning_lead(window: timedelta) -> timedelta:
    """How long before a deadline the spokesperson is reminded: a quarter of the window, at most 4h."""
    return min(window / 4, timedelta(hours=4))


def next_check(times: ClockTimes, targets: TargetsLike, after: datetime | None) -> datetime | None:
    """The next moment the sweep has work on this clock: a deadline's warning or the deadline itself.

    Moments at or before `after` were handled; with `after` None (a fresh clock) a missed one counts,
    so a warning or escalation is never skipped, and never sent twice (the reminder's unique key).
    """
    moments = []
    for due, window in (
        (times.acknowledge_due_at, targets.acknowledge_within),
        (times.update_due_at, targets.update_every),
        (times.resolve_due_at, targets.resolve_within),
    ):
        if due is not None:
            moments += [m for m in (due - warning_lead(window), due) if after is None or m > after]
    return min(moments, default=None)


def next_due(times: ClockTimes) -> tuple[datetime | None, str]:
    """The nearest deadline and what it asks for (acknowledge, update, resolve); "waiting" when paused."""
    dues = [
        (at, kind)
        for at, kind in (
            (times.acknowledge_due_at, "acknowledge"),
            (times.update_due_at, "update"),
            (times.resolve_due_at, "resolve"),
        )
        if at is not None
    ]
    if dues:
        return min(dues)
    return None, "waiting" if times.paused_at is not None else ""


def targets_for(playbook: Playbook | None, severity: int) -> TargetsLike:
    """The playbook's targets, else ours (no playbook given)."""
    if playbook is not None:
        return playbook.sla_for(severity)
    return DEFAULT_TARGETS[min(max(int(severity), 1), 4)]


def follow_up_delay(playbook: Playbook | None) -> timedelta:
    """The playbook's follow-up delay, or 14 days (P23) without one."""
    return playbook.follow_up_delay if playbook is not None else DEFAULT_FOLLOW_UP
