"""The SQL behind each insights figure (P24): aggregates in the database, so a million cases stay fast.

Read-only. Every figure is one query grouped by the asked dimension; the same conditions list the
cases behind a number (`drill`), so a count and its list never disagree.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, distinct, exists, func, select
from sqlalchemy.orm import Session

from accord.cadence.models import Confirmation, FollowUp, Reminder
from accord.cases.models import Case, CaseEvent
from accord.cases.transitions import OPEN_STATUSES
from accord.clients.models import Client
from accord.insights.figures import TTR_BUCKETS, TTR_LAST, Scope
from accord.offers.models import Offer

RESOLVED = ("resolved", "closed")


def _is_postgres(db: Session) -> bool:
    return db.get_bind().dialect.name == "postgresql"


def _month(db: Session, column: Any) -> ColumnElement[str]:
    if _is_postgres(db):
        return func.to_char(func.timezone("UTC", column), "YYYY-MM")
    return func.strftime("%Y-%m", column)


def _hours(db: Session, start: Any, end: Any) -> ColumnElement[Any]:
    if _is_postgres(db):
        return func.extract("epoch", end - start) / 3600.0
    return (func.julianday(end) - func.julianday(start)) * 24.0


def group_key(db: Session, by: str | None, when: Any = Case.created_at) -> ColumnElement[Any]:
    """The column a figure is grouped by; the workspace id (one group) for the overall figure.

    By month, each figure groups by the moment that puts a case in its cohort (`when`): opened by
    created_at, closed by resolved_at, costs by acceptance, ratings by answer; so a month's number
    equals that month's own report.
    """
    columns: dict[str, Any] = {
        "client": Case.client_id,
        "category": Case.category,
        "severity": Case.severity,
        "spokesperson": Case.owner_id,
        "fault": Case.fault,
    }
    if by == "month":
        return _month(db, when)
    return columns.get(by or "", Case.workspace_id)


def _filters(scope: Scope) -> list[ColumnElement[bool]]:
    wanted = [Case.workspace_id == scope.workspace_id]
    pairs = (
        (Case.client_id, scope.client_id),
        (Case.category, scope.category),
        (Case.severity, scope.severity),
        (Case.owner_id, scope.owner_id),
        (Case.fault, scope.fault),
    )
    wanted += [column == value for column, value in pairs if value is not None]
    return wanted


def _in(column: Any, scope: Scope) -> ColumnElement[bool]:
    return and_(column >= scope.start, column < scope.end)


# Uncorrelated IN (...) subqueries: both databases build the set of case ids once and probe it,
# where a correlated EXISTS ran one lookup per case (P24 at a million cases).
def _reopen_event() -> ColumnElement[bool]:
    reopened = select(CaseEvent.case_id).where(
        CaseEvent.kind == "status_changed", CaseEvent.data["to"].as_string() == "reopened"
    )
    return Case.id.in_(reopened)


def _confirmed() -> ColumnElement[bool]:
    return Case.id.in_(select(Confirmation.case_id).where(Confirmation.answer == "yes"))


def _breach(kind: str | None = None) -> ColumnElement[bool]:
    where = [Reminder.level == "escalation", *([Reminder.kind == kind] if kind else [])]
    return Case.id.in_(select(Reminder.case_id).where(*where))


def _opened(scope: Scope) -> ColumnElement[bool]:
    return _in(Case.created_at, scope)


def _resolved(scope: Scope) -> ColumnElement[bool]:
    return and_(_in(Case.resolved_at, scope), Case.status.in_(RESOLVED))


# Built only for the figure asked (building every figure's clauses each call cost more than the SQL).
_CONDITIONS: dict[str, Callable[[Scope], list[ColumnElement[bool]]]] = {
    "opened": lambda s: [_opened(s)],
    "closed": lambda s: [_resolved(s)],
    "acknowledged": lambda s: [_opened(s), Case.acknowledged_at.is_not(None)],
    "breached": lambda s: [_opened(s), _breach()],
    "reopened": lambda s: [_opened(s), _reopen_event()],
    "confirmed": lambda s: [_resolved(s), _confirmed()],
    "cost": lambda s: [exists().where(Offer.case_id == Case.id, *_accepted(s))],
    "rated": lambda s: [exists().where(FollowUp.case_id == Case.id, *_rated(s))],
    "at_risk": lambda s: [
        Case.status.in_(OPEN_STATUSES),
        Case.severity >= 3,
        Case.client_id.in_(select(Client.id).where(Client.status != "ended")),
    ],
}


def conditions(figure: str, scope: Scope) -> list[ColumnElement[bool]]:
    """The cases a count-type figure counts, as WHERE conditions on `cases`."""
    return [*_filters(scope), *_CONDITIONS[figure](scope)]


def _accepted(scope: Scope) -> list[ColumnElement[bool]]:
    return [Offer.status == "accepted", Offer.origin == "us", _in(Offer.responded_at, scope)]


def _rated(scope: Scope) -> list[ColumnElement[bool]]:
    return [FollowUp.rating.is_not(None), _in(FollowUp.answered_at, scope)]


RESOLVED_COHORT = ("closed", "confirmed")


def count(db: Session, scope: Scope, figure: str, by: str | None) -> dict[Any, int]:
    """How many cases a figure counts, per group."""
    key = group_key(db, by, Case.resolved_at if figure in RESOLVED_COHORT else Case.created_at)
    stmt = select(key, func.count(Case.id)).where(*conditions(figure, scope)).group_by(key)
    return {k: int(n) for k, n in db.execute(stmt)}


def _ids(stmt: Select[Any]) -> Any:
    """A set of case ids as a derived table to LEFT JOIN: a hash join at any size, where an IN (...)
    inside CASE became a re-scanned subplan on PostgreSQL once the set outgrew work_mem."""
    return stmt.distinct().subquery()


def opened_counts(db: Session, scope: Scope, by: str | None) -> dict[Any, tuple[int, int, int]]:
    """Per group, in one pass over the cases opened in the period: how many, their hand-offs (P7),
    and how many were reopened."""
    key = group_key(db, by)
    reopened = _ids(
        select(CaseEvent.case_id.label("case_id")).where(
            CaseEvent.kind == "status_changed", CaseEvent.data["to"].as_string() == "reopened"
        )
    )
    stmt = (
        select(key, func.count(Case.id), func.sum(Case.handoff_count), func.count(reopened.c.case_id))
        .select_from(Case)
        .outerjoin(reopened, reopened.c.case_id == Case.id)
        .where(*conditions("opened", scope))
        .group_by(key)
    )
    return {k: (int(n), int(h or 0), int(r or 0)) for k, n, h, r in db.execute(stmt)}


def resolved_counts(db: Session, scope: Scope, by: str | None) -> dict[Any, tuple[int, int]]:
    """Per group, over the cases resolved in the period: how many, and how many the client confirmed (P23)."""
    key = group_key(db, by, Case.resolved_at)
    yes = _ids(select(Confirmation.case_id.label("case_id")).where(Confirmation.answer == "yes"))
    stmt = (
        select(key, func.count(Case.id), func.count(yes.c.case_id))
        .select_from(Case)
        .outerjoin(yes, yes.c.case_id == Case.id)
        .where(*conditions("closed", scope))
        .group_by(key)
    )
    return {k: (int(n), int(c or 0)) for k, n, c in db.execute(stmt)}


def breaches(db: Session, scope: Scope, by: str | None) -> dict[Any, dict[str, int]]:
    """Cases whose acknowledge, update or resolve clock ran out (an escalation was raised), per group."""
    key = group_key(db, by)
    stmt = (
        select(key, Reminder.kind, func.count(distinct(Case.id)))
        .select_from(Case)
        .join(Reminder, Reminder.case_id == Case.id)
        .where(*conditions("opened", scope), Reminder.level == "escalation")
        .group_by(key, Reminder.kind)
    )
    found: dict[Any, dict[str, int]] = defaultdict(dict)
    for k, kind, n in db.execute(stmt):
        found[k][kind] = int(n)
    return found


def durations(db: Session, scope: Scope, by: str | None, clock: str) -> dict[Any, tuple[Any, Any]]:
    """Median and p90 hours to acknowledge (opened cohort) or to resolve (resolved cohort), per group.

    PostgreSQL computes the percentiles itself; elsewhere the hours come back and Python ranks them.
    """
    key = group_key(db, by, Case.created_at if clock == "acknowledge" else Case.resolved_at)
    if clock == "acknowledge":
        span, where = _hours(db, Case.created_at, Case.acknowledged_at), conditions("acknowledged", scope)
    else:
        span, where = _hours(db, Case.created_at, Case.resolved_at), conditions("closed", scope)
    if _is_postgres(db):
        mid = func.percentile_cont(0.5).within_group(span)
        top = func.percentile_disc(0.9).within_group(span)
        stmt = select(key, mid, top).where(*where).group_by(key)
        return {k: (m, t) for k, m, t in db.execute(stmt)}
    values: dict[Any, list[float]] = defaultdict(list)
    for k, h in db.execute(select(key, span).where(*where)):
        values[k].append(float(h))
    return {k: (v, None) for k, v in values.items()}


def resolve_distribution(db: Session, scope: Scope) -> dict[str, int]:
    """How many resolved cases took under a day, 1-3 days, ... (the time-to-resolve chart)."""
    span = _hours(db, Case.created_at, Case.resolved_at)
    bucket = case(*[(span < limit, label) for limit, label in TTR_BUCKETS], else_=TTR_LAST)
    stmt = select(bucket, func.count(Case.id)).where(*conditions("closed", scope)).group_by(bucket)
    return {label: int(n) for label, n in db.execute(stmt)}


def concession_costs(db: Session, scope: Scope, by: str | None) -> dict[Any, tuple[float, int]]:
    """P24: money and number of the concessions clients accepted in the period, per group."""
    key = group_key(db, by, Offer.responded_at)
    stmt = (
        select(key, func.sum(Offer.cost), func.count(Offer.id))
        .select_from(Case)
        .join(Offer, Offer.case_id == Case.id)
        .where(*_filters(scope), *_accepted(scope))
        .group_by(key)
    )
    return {k: (float(total or 0), int(n)) for k, total, n in db.execute(stmt)}


def satisfaction(db: Session, scope: Scope, by: str | None) -> dict[Any, tuple[float, int]]:
    """P23: mean follow-up rating (1-5) and how many answered, per group."""
    key = group_key(db, by, FollowUp.answered_at)
    stmt = (
        select(key, func.avg(FollowUp.rating), func.count(FollowUp.id))
        .select_from(Case)
        .join(FollowUp, FollowUp.case_id == Case.id)
        .where(*_filters(scope), *_rated(scope))
        .group_by(key)
    )
    return {k: (float(mean), int(n)) for k, mean, n in db.execute(stmt)}


def comments(db: Session, scope: Scope, limit: int = 20) -> list[Any]:
    """The clients' own words from the follow-ups answered in the period, newest first."""
    stmt = (
        select(Case.number, Client.name, FollowUp.rating, FollowUp.answer, FollowUp.answered_at)
        .select_from(Case)
        .join(FollowUp, FollowUp.case_id == Case.id)
        .join(Client, Client.id == Case.client_id)
        .where(*_filters(scope), *_rated(scope), FollowUp.answer != "")
        .order_by(FollowUp.answered_at.desc())
        .limit(limit)
    )
    return list(db.execute(stmt))


def root_causes(db: Session, scope: Scope, limit: int = 50) -> list[Any]:
    """P24: the root causes and changes recorded on the cases resolved in the period."""
    noted = (Case.root_cause != "") | (Case.what_we_change != "")
    stmt = (
        select(Case.number, Client.name, Case.category, Case.fault, Case.root_cause, Case.what_we_change)
        .select_from(Case)
        .join(Client, Client.id == Case.client_id)
        .where(*conditions("closed", scope), noted)
        .order_by(Case.resolved_at.desc())
        .limit(limit)
    )
    return list(db.execute(stmt))


def client_conflicts(db: Session, scope: Scope, exclude: str) -> list[Any]:
    """Per client with a conflict opened in the period: count, first conflict, status and end date."""
    first = func.min(Case.created_at)
    stmt = (
        select(Client.id, Client.name, func.count(Case.id), first, Client.status, Client.ended_at)
        .select_from(Case)
        .join(Client, Client.id == Case.client_id)
        .where(*conditions("opened", scope), Client.name != exclude)
        .group_by(Client.id, Client.name, Client.status, Client.ended_at)
        .order_by(func.count(Case.id).desc(), Client.name)
    )
    return list(db.execute(stmt))


def revenue_at_risk(db: Session, scope: Scope, exclude: str) -> list[Any]:
    """Clients still with us that have an open severity 3-4 case now, with their monthly value.

    The period does not apply: this is money at risk today; an ended client's value is already gone.
    """
    at_risk = exists().where(*conditions("at_risk", scope), Case.client_id == Client.id)
    stmt = (
        select(Client.id, Client.name, Client.monthly_value)
        .where(
            Client.workspace_id == scope.workspace_id,
            Client.name != exclude,
            Client.status != "ended",
            at_risk,
        )
        .order_by(Client.monthly_value.desc(), Client.name)
    )
    return list(db.execute(stmt))


def drill(scope: Scope, figure: str, limit: int = 500) -> Select[Any]:
    """The cases behind one number, newest first."""
    return select(Case).where(*conditions(figure, scope)).order_by(Case.created_at.desc()).limit(limit)


def names(db: Session, model: Any, ids: list[Any]) -> dict[Any, str]:
    """Display names for client or user ids."""
    wanted = [i for i in ids if i is not None]
    if not wanted:
        return {}
    return dict(db.execute(select(model.id, model.name).where(model.id.in_(wanted))).all())


def first_case_at(db: Session, workspace_id: int) -> datetime | None:
    """When the workspace's first case opened (the default start of "all time")."""
    return db.scalar(select(func.min(Case.created_at)).where(Case.workspace_id == workspace_id))
