"""The monthly report an owner reads in two minutes: what went wrong, what it cost, who is at risk, and
what to change in onboarding (P1) and the playbook (P2) (P24). HTML here; PDF in `insights.pdf`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from jinja2 import Environment, select_autoescape
from sqlalchemy.orm import Session

from accord.insights import figures as fig
from accord.insights.figures import FigureRow
from accord.insights.figures_service import Filters, Lesson, Overview, breakdowns, overview
from accord.users.access import ActorLike

TEMPLATES = Path(__file__).with_name("templates")
_ENV = Environment(autoescape=select_autoescape(default=True, default_for_string=True), trim_blocks=True)


@dataclass
class MonthlyReport:
    """One month's review, with last month's overall figures to compare against."""

    month: str
    title: str
    view: Overview
    previous: FigureRow
    categories: list[FigureRow]
    clients: list[FigureRow]
    went_wrong: list[str]
    cost_lines: list[str]

    def lessons_for(self, area: str) -> list[Lesson]:
        """The lessons for onboarding, the playbook, or to review."""
        return [lesson for lesson in self.view.lessons if lesson.area == area]


def previous_month(month: str) -> str:
    """ "2026-11" -> "2026-10"."""
    first, _ = fig.month_bounds(month)
    return (first - timedelta(days=1)).strftime("%Y-%m")


def monthly_report(db: Session, *, actor: ActorLike | None, workspace_id: int, month: str) -> MonthlyReport:
    """Build the review of `month` (YYYY-MM)."""
    first, last = fig.month_bounds(month)
    filters = Filters(start=first, end=last)
    view = overview(db, actor=actor, workspace_id=workspace_id, filters=filters)
    groups = breakdowns(
        db, actor=actor, workspace_id=workspace_id, filters=filters, dimensions=["category", "client"]
    )
    before_first, before_last = fig.month_bounds(previous_month(month))
    before = Filters(start=before_first, end=before_last)
    previous = breakdowns(db, actor=actor, workspace_id=workspace_id, filters=before, dimensions=[])[
        "overall"
    ][0]
    categories = sorted(groups["category"], key=lambda r: (-r.opened, r.label))
    clients = sorted(groups["client"], key=lambda r: (-r.concession_cost, r.label))
    return MonthlyReport(
        month=first.strftime("%Y-%m"),
        title=first.strftime("%B %Y"),
        view=view,
        previous=previous,
        categories=categories,
        clients=[c for c in clients if c.concession_cost > 0],
        went_wrong=_went_wrong(view, previous, categories),
        cost_lines=_cost_lines(view, clients),
    )


def _went_wrong(view: Overview, previous: FigureRow, categories: list[FigureRow]) -> list[str]:
    row = view.overall
    lines = [f"{row.opened} new conflicts (last month {previous.opened}); {row.closed} resolved."]
    top = [f"{c.label} {c.opened}" for c in categories[:3] if c.opened]
    if top:
        lines.append("Most came from: " + ", ".join(top) + ".")
    if row.resolve_median_h is not None:
        lines.append(
            f"Half were resolved within {row.resolve_median_h} h; 90 % within {row.resolve_p90_h} h."
        )
    breaches = sum(row.breaches.values())
    if breaches:
        clocks = ", ".join(f"{n} {clock}" for clock, n in row.breaches.items() if n)
        lines.append(f"Response deadlines missed: {clocks}.")
    if row.reopened:
        lines.append(f"{row.reopened} case(s) came back after we thought they were solved.")
    if row.rating_mean is not None:
        lines.append(f"Clients rated our handling {row.rating_mean}/5 on average ({row.ratings} answers).")
    return lines


def _cost_lines(view: Overview, clients: list[FigureRow]) -> list[str]:
    row = view.overall
    if not row.concessions:
        return ["No concessions were accepted this month."]
    lines = [f"Concessions accepted: {row.concession_cost:,.2f} over {row.concessions} offer(s)."]
    lines += [f"{c.label}: {c.concession_cost:,.2f}" for c in clients[:5] if c.concession_cost]
    return lines


def stylesheet() -> str:
    """The report's CSS: inlined in files and mails, served as a file to the web app (its CSP)."""
    return (TEMPLATES / "monthly.css").read_text(encoding="utf-8")


def render_html(report: MonthlyReport, *, stylesheet_url: str = "", back: str = "") -> str:
    """The report as one escaped HTML page: self-contained (mail body, file) unless a stylesheet URL
    is given; `back` adds the link to the list of reviews in the web app."""
    source = (TEMPLATES / "monthly.html").read_text(encoding="utf-8")
    view = report.view
    return _ENV.from_string(source).render(
        r=report, v=view, row=view.overall, css=stylesheet(), stylesheet=stylesheet_url, back=back
    )


def default_month(today: date) -> str:
    """The last complete month: what the report on the first of a month covers."""
    return (today.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
