"""The learning review (P24): causes, fault, time to resolve, reopenings, clients lost."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from accord.cadence import confirmation as confirm
from accord.cases import service as cases
from accord.clients import service as clients
from accord.clock import frozen
from accord.insights import service as insights
from accord.insights.report import CaseFact, build_report
from accord.offers import service as offers
from tests.helpers import create_case, create_client, create_workspace
from tests.playbook.helpers import complete_required_steps

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
RESOLVE_PATH = [
    "acknowledged",
    "preparing",
    "in_conversation",
    "resolution_proposed",
    "awaiting_confirmation",
]


def _fact(category: str, fault: str = "ours", client: str = "A", **kw: object) -> CaseFact:
    base: dict[str, object] = dict(
        category=category,
        fault=fault,
        severity=2,
        status="resolved",
        client=client,
        client_status="active",
        created_at=T0,
        resolved_at=T0 + timedelta(hours=10),
        handoffs=0,
        reopened=0,
    )
    base.update(kw)
    return CaseFact(**base)  # type: ignore[arg-type]


def test_empty_period_says_so() -> None:
    assert build_report([]).lessons == ["No conflicts in this period."]


def test_dominant_category_and_our_fault_become_lessons() -> None:
    facts = [_fact("billing"), _fact("billing"), _fact("billing"), _fact("delay", fault="client")]
    report = build_report(facts)
    assert report.by_category == {"billing": 3, "delay": 1}
    assert any("Billing causes 75%" in lesson for lesson in report.lessons)
    assert any("at fault" in lesson for lesson in report.lessons)
    assert report.median_hours_to_resolve == 10.0


def test_lost_and_repeat_clients_are_named() -> None:
    facts = [_fact("quality", client="Bluebird", client_status="ended")] + [
        _fact("delay", client="Oakridge") for _ in range(3)
    ]
    report = build_report(facts)
    assert report.clients_lost == ["Bluebird"]
    assert report.repeat_clients == ["Oakridge"]


def test_report_from_the_database_counts_reopenings_and_time(db: Session) -> None:
    ws = create_workspace(db)
    client = create_client(db, ws)
    with frozen(T0) as clock:
        case = create_case(db, client)
        complete_required_steps(db, case)
        for status in RESOLVE_PATH:
            clock.advance(timedelta(hours=2))
            cases.move_case(db, actor=None, case=case, status=status)
        clock.advance(timedelta(hours=2))
        confirm.record_call_confirmation(db, actor=None, case=case, note="Confirmed on the phone")
        cases.reopen_case(db, actor=None, case=case)
        create_case(db, client, category="delay")
        clients.set_client_status(db, actor=None, client=client, status="ended")
        report = insights.conflict_report(db, actor=None, workspace_id=ws.id, days=30)
    assert report.total == 2
    assert report.reopen_rate == 0.5
    assert report.clients_lost == [client.name]


def test_the_report_shows_what_accepted_concessions_cost(db: Session) -> None:
    """P24: cost per client, category and month, from accepted offers only."""
    ws = create_workspace(db)
    client = create_client(db, ws, name="Bluebird Dental", monthly_value=2000, hourly_rate=80)
    with frozen(T0):
        billing = create_case(db, client, category="billing")
        credit = offers.propose_offer(db, actor=None, case=billing, solution_id="billing_credit", amount=10)
        offers.accept_offer(db, actor=None, case=billing, offer_id=credit.id)  # 10 % of 2000
        quality = create_case(db, client, category="quality")
        hours = offers.propose_offer(db, actor=None, case=quality, solution_id="quality_free_hours", amount=2)
        offers.accept_offer(db, actor=None, case=quality, offer_id=hours.id)  # 2 h x 80
        declined = offers.propose_offer(
            db, actor=None, case=quality, solution_id="quality_revision", amount=1
        )
        offers.decline_offer(db, actor=None, case=quality, offer_id=declined.id)
    with frozen(T0 + timedelta(days=5)):
        report = insights.conflict_report(db, actor=None, workspace_id=ws.id, days=30)
    assert report.concession_cost == 360.0
    assert report.cost_by_client == {"Bluebird Dental": 360.0}
    assert report.cost_by_category == {"billing": 200.0, "quality": 160.0}
    assert report.cost_by_month == {"2026-03": 360.0}


def test_the_unmatched_bucket_is_never_a_repeat_client() -> None:
    """P24: "Unmatched senders had three or more conflicts" taught nothing; lessons name real clients."""
    facts = [_fact("other", client="Unmatched senders") for _ in range(4)]
    report = build_report(facts, ignore_clients=("Unmatched senders",))
    assert report.repeat_clients == []
    assert not any("Unmatched" in lesson for lesson in report.lessons)
