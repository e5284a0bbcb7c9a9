"""Every insights figure on a hand-built month, worked out on paper (P24); SQLite and PostgreSQL.

The scenario and its table are in tests/insights/scenario.py.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from accord.clock import frozen
from accord.errors import Invalid
from accord.insights import figures_service as insights
from accord.insights.figures import median, p90
from tests.insights.scenario import MARCH, READ_ON, Month, build_month


@pytest.fixture
def month(db: Session) -> Month:
    return build_month(db)


def _filters(**kw: object) -> insights.Filters:
    return insights.Filters(start=MARCH[0], end=MARCH[1], **kw)  # type: ignore[arg-type]


def _overview(db: Session, month: Month, **kw: object) -> insights.Overview:
    with frozen(READ_ON):
        return insights.overview(db, actor=None, workspace_id=month.ws.id, filters=_filters(**kw))


def test_percentiles_are_the_middle_and_the_nearest_rank() -> None:
    assert median([4.0, 1.0, 2.0]) == 2.0
    assert median([10.0, 50.0]) == 30.0
    assert p90([1.0, 2.0, 4.0]) == 4.0  # ceil(0.9 * 3) = 3rd
    assert p90(list(map(float, range(1, 21)))) == 18.0  # ceil(0.9 * 20) = 18th
    assert median([]) is None and p90([]) is None


def test_the_month_overall(db: Session, month: Month) -> None:
    row = _overview(db, month).overall
    assert row.opened == 8  # A B C D G U1-3; E (Feb) and F (Apr) are outside
    assert row.closed == 2  # A and D; B was reopened
    assert (row.ack_median_h, row.ack_p90_h) == (2.0, 4.0)  # D 1 h, A 2 h, B 4 h
    assert (row.resolve_median_h, row.resolve_p90_h) == (30.0, 50.0)  # A 10 h, D 50 h
    assert row.breaches == {"acknowledge": 1, "update": 0, "resolve": 0}  # C
    assert (row.confirmed, row.confirmed_share) == (2, 1.0)
    assert (row.reopened, row.reopen_rate) == (1, 0.125)  # B of 8
    assert (row.handoffs, row.handoffs_per_case) == (1, 0.125)  # A, Adam -> Olivia
    assert (row.concession_cost, row.concessions) == (360.0, 2)  # 10 % of 2000 + 2 h x 80
    assert (row.rating_mean, row.ratings) == (3.5, 2)  # 5 and 2


def test_clients_who_repeat_stay_leave_or_are_at_risk(db: Session, month: Month) -> None:
    view = _overview(db, month)
    assert [(c.name, c.conflicts) for c in view.repeat_clients] == [
        ("Bluebird Dental", 2),
        ("Oakridge Law", 2),
    ]
    assert [c.name for c in view.retained] == ["Bluebird Dental", "Oakridge Law"]
    assert [c.name for c in view.lost] == ["Cedar Bakery"]  # ended 10 days after its conflict
    assert view.retention_rate == 0.667
    # open severity 3-4 now: B (Bluebird 2000) and C (Oakridge 500); Cedar's E is open but Cedar ended
    assert [c.name for c in view.clients_at_risk] == ["Bluebird Dental", "Oakridge Law"]
    assert view.revenue_at_risk == 2500.0


def test_causes_comments_and_distribution(db: Session, month: Month) -> None:
    view = _overview(db, month)
    assert view.root_causes == [
        {
            "reference": month.cases["D"].reference,
            "client": "Oakridge Law",
            "category": "billing",
            "fault": "unknown",
            "root_cause": "The invoice template reused last month's hours.",
            "what_we_change": "Check hours against the timesheet before an invoice goes out.",
        }
    ]
    assert [(c["client"], c["rating"], c["comment"]) for c in view.comments] == [
        ("Oakridge Law", 2, "Took too long <b>really</b>."),
        ("Bluebird Dental", 5, "Sorted the same day."),
    ]
    assert view.resolve_distribution == {
        "under 1 day": 1,
        "1-3 days": 1,
        "3-7 days": 0,
        "7-14 days": 0,
        "over 14 days": 0,
    }
    assert view.by_category == {"billing": 2, "quality": 1, "delay": 1, "scope": 1, "other": 3}


def test_lessons_name_clients_and_never_the_unmatched_bucket(db: Session, month: Month) -> None:
    lessons = _overview(db, month).lessons
    texts = " ".join(lesson.text for lesson in lessons)
    assert "Unmatched" not in texts
    assert (
        "onboarding",
        "Bluebird Dental had 2 conflicts: revisit the expectations and contract agreed with them (P1).",
    ) in [(lesson.area, lesson.text) for lesson in lessons]
    assert any(lesson.area == "review" and "We lost Cedar Bakery" in lesson.text for lesson in lessons)
    assert any("1 case(s) waited past the acknowledgement deadline" in lesson.text for lesson in lessons)
    assert any("Check hours against the timesheet" in lesson.text for lesson in lessons)


def test_per_client_rows(db: Session, month: Month) -> None:
    with frozen(READ_ON):
        scope = insights.make_scope(actor=None, workspace_id=month.ws.id, filters=_filters())
        rows = {r.label: r for r in insights.figure_rows(db, scope, "client")}
    assert set(rows) == {"Bluebird Dental", "Oakridge Law", "Cedar Bakery", "Unmatched senders"}
    blue, oak = rows["Bluebird Dental"], rows["Oakridge Law"]
    assert (blue.opened, blue.closed, blue.reopened, blue.concession_cost, blue.rating_mean) == (
        2,
        1,
        1,
        360.0,
        5.0,
    )
    assert (blue.ack_median_h, blue.resolve_median_h) == (3.0, 10.0)  # A 2 h and B 4 h; A 10 h
    assert (oak.opened, oak.closed, oak.breaches["acknowledge"], oak.rating_mean) == (2, 1, 1, 2.0)
    assert oak.ack_p90_h == 1.0 and oak.resolve_p90_h == 50.0


def test_per_severity_and_spokesperson_rows(db: Session, month: Month) -> None:
    with frozen(READ_ON):
        scope = insights.make_scope(actor=None, workspace_id=month.ws.id, filters=_filters())
        by_severity = {r.key: r.opened for r in insights.figure_rows(db, scope, "severity")}
        by_owner = {r.label: r.opened for r in insights.figure_rows(db, scope, "spokesperson")}
        by_month = {r.key: r.opened for r in insights.figure_rows(db, scope, "month")}
    assert by_severity == {"1": 4, "2": 2, "3": 1, "4": 1}
    assert by_owner == {"Olivia Owner": 1, "nobody": 7}
    assert by_month == {"2026-03": 8}


def test_filters_narrow_every_figure(db: Session, month: Month) -> None:
    row = _overview(db, month, category="billing").overall
    assert (row.opened, row.closed, row.concession_cost, row.ratings) == (2, 2, 200.0, 2)
    assert (row.resolve_median_h, row.resolve_p90_h) == (30.0, 50.0)
    assert _overview(db, month, severity=4).overall.breaches["acknowledge"] == 1
    assert _overview(db, month, severity=3).overall.breaches["acknowledge"] == 0


def test_the_cases_behind_each_number(db: Session, month: Month) -> None:
    def behind(figure: str) -> set[str]:
        with frozen(READ_ON):
            found = insights.cases_behind(
                db, actor=None, workspace_id=month.ws.id, filters=_filters(), figure=figure
            )
        return {c.title for c in found}

    assert behind("reopened") == {"Logo blurry"}
    assert behind("breached") == {"Launch slipped"}
    assert behind("closed") == {"Charged twice", "Invoice hours wrong"}
    assert behind("cost") == {"Charged twice", "Logo blurry"}
    assert behind("rated") == {"Charged twice", "Invoice hours wrong"}
    assert behind("at_risk") == {"Launch slipped", "Logo blurry", "April"}  # not E: Cedar ended
    assert len(behind("opened")) == 8


def test_bad_periods_and_filters_are_refused_clearly(db: Session, month: Month) -> None:
    reversed_period = insights.Filters(start=date(2026, 3, 2), end=date(2026, 3, 1))
    with pytest.raises(Invalid, match="ends"):
        insights.overview(db, actor=None, workspace_id=month.ws.id, filters=reversed_period)
    with pytest.raises(Invalid, match="Severity"):
        _overview(db, month, severity=7)


def test_by_month_each_figure_counts_in_its_own_month(db: Session, month: Month) -> None:
    """Opened by the month a case opened, closed by the month it was resolved, so each month's number
    equals that month's own report."""
    spring = insights.Filters(start=date(2026, 2, 1), end=date(2026, 4, 30))
    with frozen(READ_ON):
        scope = insights.make_scope(actor=None, workspace_id=month.ws.id, filters=spring)
        rows = {r.key: r for r in insights.figure_rows(db, scope, "month")}
    assert {k: r.opened for k, r in rows.items()} == {"2026-02": 1, "2026-03": 8, "2026-04": 1}
    assert {k: r.closed for k, r in rows.items()} == {"2026-02": 0, "2026-03": 2, "2026-04": 0}
    assert rows["2026-03"].concession_cost == 360.0 and rows["2026-03"].ratings == 2
