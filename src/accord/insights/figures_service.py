"""The insights figures over any period, overall and per client, category, severity, spokesperson,
fault or month; the lists behind them; lessons that name clients (P24). Read-only."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from accord.cases.models import DEFAULT_CATEGORIES, FAULTS, Case
from accord.clients import service as clients
from accord.clients.models import Client
from accord.clock import ensure_aware, now
from accord.errors import Invalid
from accord.insights import figures as fig
from accord.insights import queries
from accord.insights.figures import FigureRow, Scope
from accord.intake.service import UNMATCHED_CLIENT
from accord.users import service as users
from accord.users.access import ActorLike, require_same_workspace
from accord.users.models import User


@dataclass(frozen=True)
class Filters:
    """What a person narrowed the report to; ids for client and spokesperson."""

    start: date
    end: date
    client_id: int | None = None
    category: str | None = None
    severity: int | None = None
    spokesperson_id: int | None = None
    fault: str | None = None

    def as_query(self) -> dict[str, str]:
        """The filters as URL query parameters (links to the cases behind a number keep them)."""
        pairs = {
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "client": self.client_id,
            "category": self.category,
            "severity": self.severity,
            "spokesperson": self.spokesperson_id,
            "fault": self.fault,
        }
        return {k: str(v) for k, v in pairs.items() if v not in (None, "")}


@dataclass
class ClientLine:
    """One client in the repeat, retained, lost or at-risk lists."""

    client_id: int
    name: str
    conflicts: int = 0
    monthly_value: float = 0.0


@dataclass
class Overview:
    """Every figure of one period: the overall row, the client lists, causes and lessons."""

    filters: Filters
    overall: FigureRow
    resolve_distribution: dict[str, int]
    repeat_clients: list[ClientLine]
    retention_eligible: int
    retained: list[ClientLine]
    lost: list[ClientLine]
    retention_rate: float | None
    revenue_at_risk: float
    clients_at_risk: list[ClientLine]
    root_causes: list[dict[str, Any]]
    comments: list[dict[str, Any]]
    by_category: dict[str, int] = field(default_factory=dict)
    by_fault: dict[str, int] = field(default_factory=dict)
    lessons: list[Lesson] = field(default_factory=list)


def make_scope(*, actor: ActorLike | None, workspace_id: int, filters: Filters) -> Scope:
    """The checked scope: same workspace as the actor, a sane period and filter values."""
    require_same_workspace(actor, workspace_id, "Workspace")
    if filters.severity is not None and filters.severity not in (1, 2, 3, 4):
        raise Invalid("Severity must be 1, 2, 3 or 4.")
    start, end = fig.period(filters.start, filters.end)
    return Scope(
        workspace_id,
        start,
        end,
        filters.client_id,
        filters.category or None,
        filters.severity,
        filters.spokesperson_id,
        filters.fault or None,
    )


def read_filters(
    db: Session,
    *,
    actor: ActorLike | None,
    workspace_id: int,
    start: str | None = None,
    end: str | None = None,
    days: int = 90,
    client: str | None = None,
    category: str | None = None,
    severity: int | None = None,
    spokesperson: str | None = None,
    fault: str | None = None,
) -> Filters:
    """Filters from what a person typed: dates as YYYY-MM-DD (default the last `days` days), a client by
    name or id, a spokesperson by email or id; unknown names are a clear error."""
    if not 1 <= days <= 3660:
        raise Invalid("The report period must be between 1 and 3660 days.")
    fallback = default_filters(days)
    first = fig.parse_day(start, label="The start date (from)") if start else fallback.start
    last = (
        fig.parse_day(end, label="The end date (to)")
        if end
        else (fallback.end if not start else now().date())
    )
    client_id = None
    if client:
        client_id = clients.get_client(db, actor=actor, workspace_id=workspace_id, key=client.strip()).id
    owner_id = _spokesperson_id(db, workspace_id, spokesperson) if spokesperson else None
    return Filters(first, last, client_id, category or None, severity, owner_id, fault or None)


def _spokesperson_id(db: Session, workspace_id: int, who: str) -> int:
    who = who.strip()
    if who.isdigit() and len(who) < 19:
        return users.get_user(db, workspace_id=workspace_id, user_id=int(who)).id
    return users.get_user_by_email(db, workspace_id=workspace_id, email=who).id


def filter_choices(db: Session, *, actor: ActorLike | None, workspace_id: int) -> dict[str, list[Any]]:
    """What the page's filter menus offer: clients, spokespeople, categories, severities, faults."""
    return {
        "clients": [(c.id, c.name) for c in clients.list_clients(db, actor=actor, workspace_id=workspace_id)],
        "spokespeople": [
            (u.id, u.name) for u in users.list_users(db, actor=actor, workspace_id=workspace_id)
        ],
        "categories": list(DEFAULT_CATEGORIES),
        "severities": [1, 2, 3, 4],
        "faults": list(FAULTS),
    }


def default_filters(days: int = 90) -> Filters:
    """The last `days` days up to today."""
    today = now().date()
    return Filters(start=today - timedelta(days=days - 1), end=today)


def _labels(db: Session, by: str | None, keys: list[Any]) -> dict[Any, str]:
    if by == "client":
        return queries.names(db, Client, keys)
    if by == "spokesperson":
        return {**queries.names(db, User, keys), None: "nobody"}
    if by == "severity":
        return {k: f"severity {k}" for k in keys}
    return {k: str(k) for k in keys}


def figure_rows(db: Session, scope: Scope, by: str | None) -> list[FigureRow]:
    """Every per-group figure, one row per group that has any; `by=None` gives one overall row."""
    if by is not None and by not in fig.DIMENSIONS:
        raise Invalid(f"Break the figures down by one of {', '.join(fig.DIMENSIONS)}.")
    opened = queries.opened_counts(db, scope, by)
    resolved = queries.resolved_counts(db, scope, by)
    ack = queries.durations(db, scope, by, "acknowledge")
    res = queries.durations(db, scope, by, "resolve")
    breaches = queries.breaches(db, scope, by)
    costs = queries.concession_costs(db, scope, by)
    ratings = queries.satisfaction(db, scope, by)
    keys: set[Any] = set().union(opened, resolved, ack, res, breaches, costs, ratings)
    if by is None:
        keys = {scope.workspace_id}
    labels = {scope.workspace_id: "all"} if by is None else _labels(db, by, list(keys))
    rows = []
    for key in sorted(keys, key=lambda k: (k is None, str(k))):
        row = FigureRow(key="all" if by is None else str(key), label=labels.get(key, str(key)))
        row.opened, row.handoffs, row.reopened = opened.get(key, (0, 0, 0))
        row.closed, row.confirmed = resolved.get(key, (0, 0))
        row.ack_median_h, row.ack_p90_h = _percentiles(ack.get(key))
        row.resolve_median_h, row.resolve_p90_h = _percentiles(res.get(key))
        row.breaches.update(breaches.get(key, {}))
        row.concession_cost, row.concessions = costs.get(key, (0.0, 0))
        mean, row.ratings = ratings.get(key, (None, 0))
        row.rating_mean = None if mean is None else round(mean, 2)
        rows.append(fig.finish_row(row))
    return rows


def breakdowns(
    db: Session,
    *,
    actor: ActorLike | None,
    workspace_id: int,
    filters: Filters,
    dimensions: list[str],
    overall: bool = True,
) -> dict[str, list[FigureRow]]:
    """The overall row (unless the caller has it already) and one block of rows per asked dimension."""
    scope = make_scope(actor=actor, workspace_id=workspace_id, filters=filters)
    groups = {"overall": figure_rows(db, scope, None)} if overall else {}
    groups.update({by: figure_rows(db, scope, by) for by in dimensions})
    return groups


def _percentiles(found: tuple[Any, Any] | None) -> tuple[float | None, float | None]:
    """From the database's (median, p90), or from the raw hours a list came back with."""
    if found is None:
        return None, None
    first, second = found
    if isinstance(first, list):
        return fig.hours(fig.median(first)), fig.hours(fig.p90(first))
    return fig.hours(first), fig.hours(second)


def overview(db: Session, *, actor: ActorLike | None, workspace_id: int, filters: Filters) -> Overview:
    """The whole period at a glance: figures, who repeats, who stayed, what is at risk, and why."""
    scope = make_scope(actor=actor, workspace_id=workspace_id, filters=filters)
    overall = figure_rows(db, scope, None)[0]
    conflicts = queries.client_conflicts(db, scope, UNMATCHED_CLIENT)
    repeat = [ClientLine(i, n, c) for i, n, c, *_ in conflicts if c >= fig.REPEAT_AT]
    retained, lost = _retention(conflicts)
    risk_rows = queries.revenue_at_risk(db, scope, UNMATCHED_CLIENT)
    at_risk = [ClientLine(i, n, monthly_value=float(v or 0)) for i, n, v in risk_rows]
    result = Overview(
        filters=filters,
        overall=overall,
        resolve_distribution=_ordered_buckets(queries.resolve_distribution(db, scope)),
        repeat_clients=repeat,
        retention_eligible=len(retained) + len(lost),
        retained=retained,
        lost=lost,
        retention_rate=fig.ratio(len(retained), len(retained) + len(lost)),
        revenue_at_risk=round(sum(c.monthly_value for c in at_risk), 2),
        clients_at_risk=at_risk,
        root_causes=[_cause(r) for r in queries.root_causes(db, scope)],
        comments=[_comment(r) for r in queries.comments(db, scope)],
        by_category=queries.count(db, scope, "opened", "category"),
        by_fault=queries.count(db, scope, "opened", "fault"),
    )
    result.lessons = lessons(result)
    return result


def _retention(conflicts: list[Any]) -> tuple[list[ClientLine], list[ClientLine]]:
    """P24: of the clients whose first conflict in the period is 90+ days old, who is still with us."""
    horizon = now() - timedelta(days=fig.RETENTION_DAYS)
    retained: list[ClientLine] = []
    lost: list[ClientLine] = []
    for client_id, name, count, first, status, ended_at in conflicts:
        first = ensure_aware(first)
        if first > horizon:
            continue
        window_end = first + timedelta(days=fig.RETENTION_DAYS)
        gone = status == "ended" and (ended_at is None or ensure_aware(ended_at) <= window_end)
        (lost if gone else retained).append(ClientLine(client_id, name, count))
    return retained, lost


def _ordered_buckets(found: dict[str, int]) -> dict[str, int]:
    labels = [label for _, label in fig.TTR_BUCKETS] + [fig.TTR_LAST]
    return {label: found.get(label, 0) for label in labels}


def _cause(row: Any) -> dict[str, Any]:
    number, client, category, fault, cause, change = row
    return {"reference": f"ACC-{number}", "client": client, "category": category, "fault": fault,
            "root_cause": cause, "what_we_change": change}  # fmt: skip


def _comment(row: Any) -> dict[str, Any]:
    number, client, rating, answer, at = row
    return {"reference": f"ACC-{number}", "client": client, "rating": rating, "comment": answer, "at": at}


def cases_behind(
    db: Session, *, actor: ActorLike | None, workspace_id: int, filters: Filters, figure: str
) -> list[Case]:
    """The cases behind one number on the page or in the report, newest first (at most 500)."""
    if figure not in fig.DRILLS:
        raise Invalid(f"Unknown figure {figure!r}; one of {', '.join(fig.DRILLS)}.")
    scope = make_scope(actor=actor, workspace_id=workspace_id, filters=filters)
    return list(db.scalars(queries.drill(scope, figure)))


@dataclass(frozen=True)
class Lesson:
    """One thing to change: in onboarding (P1), in the playbook (P2), or to review (P24)."""

    area: str
    text: str


def lessons(view: Overview) -> list[Lesson]:
    """Plain-language lessons that name real clients, never the Unmatched bucket (P1, P2, P24)."""
    found = _onboarding_lessons(view) + _playbook_lessons(view.overall)
    found += [
        Lesson("review", f"We lost {c.name}: review what could have gone differently.") for c in view.lost
    ]
    changes = [c["what_we_change"] for c in view.root_causes if c["what_we_change"]]
    found += [Lesson("playbook", f"Agreed on closing: {change}") for change in changes[:3]]
    return found or [Lesson("review", "No pattern stands out in this period.")]


def _onboarding_lessons(view: Overview) -> list[Lesson]:
    found = []
    total = view.overall.opened
    if total and view.by_category:
        top, count = max(view.by_category.items(), key=lambda kv: (kv[1], kv[0]))
        if count / total >= 0.3 and top != "other":
            text = f"{top.capitalize()} caused {count} of {total} conflicts: set clearer expectations"
            found.append(Lesson("onboarding", text + f" about {top} when a client starts (P1)."))
    for client in view.repeat_clients[:3]:  # the most conflicts first; the full list is on the page
        text = f"{client.name} had {client.conflicts} conflicts: revisit the expectations and contract"
        found.append(Lesson("onboarding", text + " agreed with them (P1)."))
    return found


def _playbook_lessons(row: FigureRow) -> list[Lesson]:
    found = []
    if row.reopen_rate is not None and row.reopen_rate >= 0.15:
        text = f"{row.reopen_rate:.0%} of cases were reopened: check the fix held before asking the client"
        found.append(Lesson("playbook", text + " to confirm (P23)."))
    if row.handoffs_per_case is not None and row.handoffs_per_case >= 1:
        found.append(Lesson("playbook", "Cases change hands often: name one spokesperson early (P7)."))
    late = row.breaches.get("acknowledge", 0)
    if late:
        text = f"{late} case(s) waited past the acknowledgement deadline: acknowledge at once,"
        found.append(Lesson("playbook", text + " answer later (P6)."))
    return found
