"""Build the learning report for a workspace (P24)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from accord.clock import now
from accord.errors import Invalid
from accord.insights import repository
from accord.insights.report import CaseFact, Report, build_report
from accord.intake.service import UNMATCHED_CLIENT
from accord.offers import firmness
from accord.users.access import ActorLike


def conflict_report(db: Session, *, actor: ActorLike | None, workspace_id: int, days: int = 90) -> Report:
    """Causes, fault, time to resolve, reopenings and clients lost over the last `days` days."""
    if not 1 <= days <= 3650:
        raise Invalid("The report period must be between 1 and 3650 days.")
    cases = repository.cases_since(db, workspace_id, now() - timedelta(days=days))
    clients = repository.clients_by_id(db, workspace_id)
    reopened = repository.reopen_counts(db, [c.id for c in cases])
    facts = [
        CaseFact(
            category=c.category,
            fault=c.fault,
            severity=c.severity,
            status=c.status,
            client=clients[c.client_id].name,
            client_status=clients[c.client_id].status,
            created_at=c.created_at,
            resolved_at=c.resolved_at,
            handoffs=c.handoff_count,
            reopened=reopened.get(c.id, 0),
        )
        for c in cases
    ]
    report = build_report(facts, ignore_clients=(UNMATCHED_CLIENT,))
    _add_costs(db, report, actor=actor, workspace_id=workspace_id, since=now() - timedelta(days=days))
    return report


def _add_costs(
    db: Session, report: Report, *, actor: ActorLike | None, workspace_id: int, since: datetime
) -> None:
    """P24: the cost of concessions, from the offers the clients accepted in the period."""

    def grouped(by: str) -> dict[str, float]:
        rows = firmness.offer_costs(db, actor=actor, workspace_id=workspace_id, by=by, since=since)
        return {r.key: r.total for r in rows}

    report.cost_by_client = grouped("client")
    report.cost_by_category = grouped("category")
    report.cost_by_month = grouped("month")
    report.concession_cost = round(sum(report.cost_by_client.values()), 2)
