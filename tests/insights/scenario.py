"""A month of conflicts built by hand through the real services, so every figure can be worked out on paper.

March 2026 (the 2nd is a Monday). The report is read on 2026-07-01.

case client    category sev opened        ack after  resolved after  what else
A    Bluebird  billing  2   Mar 2 09:00   2 h        10 h            10 % credit (200), hand-off, rated 5
B    Bluebird  quality  3   Mar 3 09:00   4 h        30 h, reopened  2 free hours x 80 (160)
C    Oakridge  delay    4   Mar 4 09:00   never      -               acknowledge clock ran out (sweep)
D    Oakridge  billing  1   Mar 5 09:00   1 h        50 h            closed with root cause, rated 2
G    Cedar     scope    2   Mar 10 09:00  never      -               Cedar ended on Mar 20
U1-3 Unmatched other    1   Mar 20        never      -               never named in lessons
E    Cedar (Feb 10, sev 3, open) and F Bluebird (Apr 2, sev 3, open): outside the period
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.cadence import confirmation as confirm
from accord.cadence import service as cadence
from accord.cases import facts
from accord.cases import service as cases
from accord.cases.models import Case
from accord.clients import service as clients
from accord.clock import frozen
from accord.intake.service import UNMATCHED_CLIENT
from accord.notify.models import OutboxMessage
from accord.offers import service as offers
from accord.users.models import User, Workspace
from tests.helpers import create_case, create_client, create_user, create_workspace
from tests.playbook.helpers import complete_required_steps

MARCH = (date(2026, 3, 1), date(2026, 3, 31))
READ_ON = datetime(2026, 7, 1, 9, 0, tzinfo=UTC)
WALK = ["preparing", "in_conversation", "resolution_proposed"]


@dataclass
class Month:
    """The workspace and the named cases of the scenario."""

    ws: Workspace
    olivia: User
    adam: User
    cases: dict[str, Case]


def _at(day: int, hour: int = 9) -> datetime:
    return datetime(2026, 3, day, hour, 0, tzinfo=UTC)


def _resolve(db: Session, case: Case, *, ack_after: int, resolve_after: int, clock: object) -> None:
    """Acknowledge after `ack_after` hours, then walk the path and confirm on a call at `resolve_after`."""
    clock.advance(timedelta(hours=ack_after))  # type: ignore[attr-defined]
    cases.acknowledge_case(db, actor=None, case=case)
    complete_required_steps(db, case)
    for status in WALK:
        cases.move_case(db, actor=None, case=case, status=status)
    clock.advance(timedelta(hours=resolve_after - ack_after))  # type: ignore[attr-defined]
    confirm.record_call_confirmation(db, actor=None, case=case, note="Client said yes on the phone.")


def _answer_follow_up(db: Session, case: Case, rating: int, comment: str) -> None:
    """Send the due follow-up the way the sweep does and answer it from the link in the mail."""
    confirm.send_due_follow_ups(db)
    mail = db.scalars(
        select(OutboxMessage).where(OutboxMessage.key.like("follow-up:%"), OutboxMessage.case_id == case.id)
    ).one()
    token = mail.body.split("/follow-up/")[1].split()[0]
    confirm.answer_follow_up(db, token=token, rating=rating, comment=comment)


def build_month(db: Session) -> Month:
    """Build the table above; returns the cases by letter."""
    ws = create_workspace(db, slug="insights")
    olivia = create_user(db, ws, name="Olivia Owner", role="owner")
    adam = create_user(db, ws, name="Adam Agent", role="agent")
    bluebird = create_client(db, ws, name="Bluebird Dental", monthly_value=2000, hourly_rate=80)
    oakridge = create_client(db, ws, name="Oakridge Law", monthly_value=500)
    cedar = create_client(db, ws, name="Cedar Bakery", monthly_value=1000)
    unmatched = create_client(db, ws, name=UNMATCHED_CLIENT, monthly_value=0)
    clients.add_contact(db, actor=None, client=bluebird, name="Bea Blue", email="bea@bluebird.example")
    clients.add_contact(db, actor=None, client=oakridge, name="Otto Oak", email="otto@oakridge.example")
    made: dict[str, Case] = {}
    with frozen(_at(4)) as clock:  # C first: the only case the SLA sweep sees
        made["C"] = create_case(db, oakridge, title="Launch slipped", category="delay", severity=4)
        facts.set_fault(db, actor=None, case=made["C"], fault="ours")
        clock.advance(timedelta(hours=3))
        cadence.sweep_due(db)
    with frozen(_at(2)) as clock:
        made["A"] = create_case(db, bluebird, title="Charged twice", category="billing", severity=2)
        cases.assign_case(db, actor=None, case=made["A"], owner=adam)
        credit = offers.propose_offer(db, actor=None, case=made["A"], solution_id="billing_credit", amount=10)
        offers.accept_offer(db, actor=None, case=made["A"], offer_id=credit.id)
        _resolve(db, made["A"], ack_after=2, resolve_after=10, clock=clock)
        cases.assign_case(db, actor=None, case=made["A"], owner=olivia)  # the one hand-off
    with frozen(_at(3)) as clock:
        made["B"] = create_case(db, bluebird, title="Logo blurry", category="quality", severity=3)
        hours = offers.propose_offer(
            db, actor=None, case=made["B"], solution_id="quality_free_hours", amount=2
        )
        offers.accept_offer(db, actor=None, case=made["B"], offer_id=hours.id)
        _resolve(db, made["B"], ack_after=4, resolve_after=30, clock=clock)
    with frozen(_at(6)):
        cases.reopen_case(db, actor=None, case=made["B"], note="Still blurry in print.")
    with frozen(_at(5)) as clock:
        made["D"] = create_case(db, oakridge, title="Invoice hours wrong", category="billing", severity=1)
        _resolve(db, made["D"], ack_after=1, resolve_after=50, clock=clock)
    with frozen(_at(8)):
        cases.close_case(
            db,
            actor=None,
            case=made["D"],
            root_cause="The invoice template reused last month's hours.",
            what_we_change="Check hours against the timesheet before an invoice goes out.",
        )
    with frozen(_at(10)):
        made["G"] = create_case(db, cedar, title="Extra cakes not in the quote", category="scope", severity=2)
    with frozen(_at(17)):
        _answer_follow_up(db, made["A"], 5, "Sorted the same day.")
    with frozen(_at(20)):
        clients.set_client_status(db, actor=None, client=cedar, status="ended")
        for n in range(3):
            made[f"U{n}"] = create_case(
                db, unmatched, title=f"Unknown sender {n}", category="other", severity=1
            )
    with frozen(_at(21, 12)):
        _answer_follow_up(db, made["D"], 2, "Took too long <b>really</b>.")
    with frozen(datetime(2026, 2, 10, 9, tzinfo=UTC)):
        made["E"] = create_case(db, cedar, title="February", category="billing", severity=3)
    with frozen(datetime(2026, 4, 2, 9, tzinfo=UTC)):
        made["F"] = create_case(db, bluebird, title="April", category="billing", severity=3)
    return Month(ws, olivia, adam, made)
