"""Pure aggregation of case facts into the lessons a business should learn (P24)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from statistics import median


@dataclass(frozen=True)
class CaseFact:
    """The few facts about one case that a review needs."""

    category: str
    fault: str
    severity: int
    status: str
    client: str
    client_status: str
    created_at: datetime
    resolved_at: datetime | None
    handoffs: int
    reopened: int


@dataclass
class Report:
    """What happened over a period, and what to change."""

    total: int = 0
    open: int = 0
    by_category: dict[str, int] = field(default_factory=dict)
    by_fault: dict[str, int] = field(default_factory=dict)
    by_severity: dict[int, int] = field(default_factory=dict)
    median_hours_to_resolve: float | None = None
    reopen_rate: float = 0.0
    mean_handoffs: float = 0.0
    clients_lost: list[str] = field(default_factory=list)
    repeat_clients: list[str] = field(default_factory=list)
    lessons: list[str] = field(default_factory=list)
    # P24: what accepted concessions cost (money, per group; filled in by the service from offers)
    concession_cost: float = 0.0
    cost_by_client: dict[str, float] = field(default_factory=dict)
    cost_by_category: dict[str, float] = field(default_factory=dict)
    cost_by_month: dict[str, float] = field(default_factory=dict)


def build_report(facts: list[CaseFact], ignore_clients: tuple[str, ...] = ()) -> Report:
    """Aggregate the facts and derive plain-language lessons; `ignore_clients` (the Unmatched bucket)
    are never named as repeat or lost clients (P24)."""
    report = Report(total=len(facts))
    if not facts:
        report.lessons.append("No conflicts in this period.")
        return report
    report.open = sum(f.status not in ("resolved", "closed") for f in facts)
    report.by_category = dict(Counter(f.category for f in facts).most_common())
    report.by_fault = dict(Counter(f.fault for f in facts).most_common())
    report.by_severity = dict(sorted(Counter(f.severity for f in facts).items()))
    hours = [(f.resolved_at - f.created_at).total_seconds() / 3600 for f in facts if f.resolved_at]
    report.median_hours_to_resolve = round(median(hours), 1) if hours else None
    report.reopen_rate = round(sum(f.reopened > 0 for f in facts) / len(facts), 3)
    report.mean_handoffs = round(sum(f.handoffs for f in facts) / len(facts), 2)
    report.clients_lost = sorted(
        {f.client for f in facts if f.client_status == "ended"} - set(ignore_clients)
    )
    per_client = Counter(f.client for f in facts if f.client not in ignore_clients)
    report.repeat_clients = sorted(c for c, n in per_client.items() if n >= 3)
    report.lessons = _lessons(report)
    return report


def _lessons(report: Report) -> list[str]:
    lessons: list[str] = []
    top, top_count = next(iter(report.by_category.items()))
    share = top_count / report.total
    if share >= 0.3:
        lessons.append(
            f"{top.capitalize()} causes {share:.0%} of conflicts: review how onboarding "
            f"and service set expectations about {top}."
        )
    ours = report.by_fault.get("ours", 0) + report.by_fault.get("shared", 0)
    if ours / report.total >= 0.5:
        lessons.append(
            f"We were at fault (fully or partly) in {ours} of {report.total} cases: "
            "fix the process behind the most common category first."
        )
    if report.reopen_rate >= 0.15:
        lessons.append(
            f"{report.reopen_rate:.0%} of cases were reopened: confirm with the client "
            "before closing and check the fix held."
        )
    if report.mean_handoffs >= 1:
        lessons.append("Cases change hands often: name one spokesperson early and keep them.")
    for client in report.repeat_clients:
        lessons.append(f"{client} had three or more conflicts: revisit their expectations and contract.")
    for client in report.clients_lost:
        lessons.append(f"We lost {client}: hold a review of what could have gone differently.")
    return lessons or ["No pattern stands out in this period."]
