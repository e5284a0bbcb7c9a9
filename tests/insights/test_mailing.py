"""P24: on the first of the month the owners get last month's review, once, through the outbox."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.clock import frozen
from accord.insights.mailing import mail_monthly_review
from accord.notify.models import OutboxMessage
from tests.insights.scenario import build_month


def test_owners_get_last_months_review_once(db: Session) -> None:
    month = build_month(db)
    with frozen(datetime(2026, 4, 1, 7, tzinfo=UTC)):
        first = mail_monthly_review(db, workspace_id=month.ws.id, today=date(2026, 4, 1))
        again = mail_monthly_review(db, workspace_id=month.ws.id, today=date(2026, 4, 1))
    assert (first, again) == (1, 0)  # Olivia owns the business; Adam is an agent
    mail = db.scalars(select(OutboxMessage).where(OutboxMessage.key.like("monthly-review:%"))).one()
    assert mail.recipient == month.olivia.email
    assert mail.subject == "Conflict review: March 2026"
    assert "8 new conflicts (last month 1); 2 resolved." in mail.body
    assert "Concessions accepted: 360.00 over 2 offer(s)." in mail.body
    assert "- Bluebird Dental: 2,000 a month, a serious case is open" in mail.body
    assert "Unmatched" not in mail.body
    assert mail.body.rstrip().endswith("/reports/2026-03")
