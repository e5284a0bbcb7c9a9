"""The monthly review, mailed to the owners on the first of the month through the outbox (P24).

Idempotent: one outbox key per owner and month, so a second run (or a second worker) sends nothing more.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from accord.config import get_settings
from accord.insights.monthly import MonthlyReport, default_month, monthly_report
from accord.notify import service as notify
from accord.users import service as users


def review_text(report: MonthlyReport, link: str) -> str:
    """The review as a plain-text mail a business owner reads in two minutes."""
    view = report.view
    risk = [
        f"- {c.name}: {c.monthly_value:,.0f} a month, a serious case is open" for c in view.clients_at_risk
    ]
    sections = [
        ("What went wrong", [f"- {line}" for line in report.went_wrong]),
        ("What it cost", [f"- {line}" for line in report.cost_lines]),
        ("Who is at risk", risk or ["- No client has a serious case open."]),
        (
            "Change in onboarding (P1)",
            [f"- {x.text}" for x in report.lessons_for("onboarding")] or ["- Nothing."],
        ),
        (
            "Change in the playbook (P2)",
            [f"- {x.text}" for x in report.lessons_for("playbook")] or ["- Nothing."],
        ),
    ]
    body = [f"Conflict review: {report.title}", ""]
    for title, lines in sections:
        body += [title, *lines, ""]
    body += [f"The full review, with its PDF: {link}"]
    return "\n".join(body) + "\n"


def mail_monthly_review(db: Session, *, workspace_id: int, today: date) -> int:
    """Queue last month's review for every active owner; returns how many mails were queued now."""
    month = default_month(today)
    report = monthly_report(db, actor=None, workspace_id=workspace_id, month=month)
    link = f"{get_settings().base_url.rstrip('/')}/reports/{report.month}"
    body = review_text(report, link)
    queued = 0
    for owner in users.list_users(db, actor=None, workspace_id=workspace_id):
        if owner.role != "owner" or not owner.active:
            continue
        row = notify.enqueue(
            db,
            key=f"monthly-review:{workspace_id}:{report.month}:{owner.id}",
            recipient=owner.email,
            subject=f"Conflict review: {report.title}",
            body=body,
            workspace_id=workspace_id,
        )
        queued += row is not None
    return queued


def mail_monthly_review_for(db: Session, *, slug: str, today: date) -> int:
    """The same for the workspace named in the settings (what the periodic job knows)."""
    workspace = users.find_workspace(db, slug=slug)
    return 0 if workspace is None else mail_monthly_review(db, workspace_id=workspace.id, today=today)
