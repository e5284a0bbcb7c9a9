"""Pure pieces of the insights figures: the scope asked for, percentiles and the row shown (P24).

Cohorts, so every number means one thing: "opened", time to acknowledge, SLA breaches, reopen rate,
hand-offs and repeat/retained clients count cases *opened* in the period; "closed", time to
resolve, the share confirmed by the client and root causes count cases *resolved* in it;
concession cost counts offers *accepted* in it and satisfaction follow-ups *answered* in it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from accord.errors import Invalid

DIMENSIONS = ("client", "category", "severity", "spokesperson", "fault", "month")
CLOCKS = ("acknowledge", "update", "resolve")
# Figures a number on the page can be opened into, to see the cases behind it.
DRILLS = ("opened", "closed", "acknowledged", "breached", "reopened", "confirmed", "cost", "rated", "at_risk")
RETENTION_DAYS = 90
REPEAT_AT = 2  # a client with two or more conflicts in the period is a repeat-conflict client
TTR_BUCKETS = ((24.0, "under 1 day"), (72.0, "1-3 days"), (168.0, "3-7 days"), (336.0, "7-14 days"))
TTR_LAST = "over 14 days"


@dataclass(frozen=True)
class Scope:
    """The period [start, end) and the filters every figure of one report shares."""

    workspace_id: int
    start: datetime
    end: datetime
    client_id: int | None = None
    category: str | None = None
    severity: int | None = None
    owner_id: int | None = None
    fault: str | None = None


def period(start: date, end: date) -> tuple[datetime, datetime]:
    """Whole UTC days from `start` to `end`, both included; a clear error when reversed or huge."""
    if end < start:
        raise Invalid(f"The period ends ({end}) before it starts ({start}).")
    if (end - start).days > 3660:
        raise Invalid("The period may span at most ten years.")
    return datetime.combine(start, time(0), UTC), datetime.combine(end + timedelta(days=1), time(0), UTC)


def parse_day(value: str, *, label: str) -> date:
    """A YYYY-MM-DD date, or Invalid naming the field."""
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise Invalid(f"{label} must be a date like 2026-11-30, not {value!r}.") from None


def month_bounds(month: str) -> tuple[date, date]:
    """First and last day of a YYYY-MM month."""
    try:
        first = datetime.strptime(month.strip(), "%Y-%m").date()
    except ValueError:
        raise Invalid(f"The month must look like 2026-11, not {month!r}.") from None
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return first, following - timedelta(days=1)


def median(values: list[float]) -> float | None:
    """The middle value (mean of the two middle ones for an even count), like PostgreSQL percentile_cont."""
    if not values:
        return None
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def p90(values: list[float]) -> float | None:
    """Nearest rank: the smallest value at or above 90 % of the others, like PostgreSQL percentile_disc."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.9 * len(ordered)) - 1)]


def ttr_bucket(hours: float) -> str:
    """The distribution bucket a time to resolve falls in."""
    for limit, label in TTR_BUCKETS:
        if hours < limit:
            return label
    return TTR_LAST


def ratio(part: float, whole: float) -> float | None:
    """part/whole rounded for display, or None when there is nothing to divide by."""
    return round(part / whole, 3) if whole else None


def hours(value: float | None) -> float | None:
    """Hours rounded to one decimal."""
    return None if value is None else round(float(value), 1)


@dataclass
class FigureRow:
    """Every per-group figure for one group (or for everything when `key` is "all")."""

    key: str
    label: str
    opened: int = 0
    closed: int = 0
    ack_median_h: float | None = None
    ack_p90_h: float | None = None
    resolve_median_h: float | None = None
    resolve_p90_h: float | None = None
    breaches: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CLOCKS, 0))
    confirmed: int = 0
    confirmed_share: float | None = None
    reopened: int = 0
    reopen_rate: float | None = None
    handoffs: int = 0
    handoffs_per_case: float | None = None
    concession_cost: float = 0.0
    concessions: int = 0
    ratings: int = 0
    rating_mean: float | None = None


def finish_row(row: FigureRow) -> FigureRow:
    """Fill in the shares and means once the counts are in."""
    row.confirmed_share = ratio(row.confirmed, row.closed)
    row.reopen_rate = ratio(row.reopened, row.opened)
    row.handoffs_per_case = ratio(row.handoffs, row.opened)
    row.concession_cost = round(row.concession_cost, 2)
    return row
