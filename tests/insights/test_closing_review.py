"""P24: closing a case records its root cause and what we change, on the case and in its timeline."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from accord.cadence import confirmation as confirm
from accord.cases import service as cases
from accord.cases.models import Case
from accord.clock import frozen
from accord.errors import Invalid
from tests.helpers import create_case, create_client, create_workspace
from tests.insights.scenario import WALK
from tests.playbook.helpers import complete_required_steps


def _resolved(db: Session) -> Case:
    ws = create_workspace(db)
    case = create_case(db, create_client(db, ws))
    cases.acknowledge_case(db, actor=None, case=case)
    complete_required_steps(db, case)
    for status in WALK:
        cases.move_case(db, actor=None, case=case, status=status)
    confirm.record_call_confirmation(db, actor=None, case=case, note="Yes on the phone.")
    return case


def test_closing_keeps_the_root_cause_and_the_change(db: Session) -> None:
    with frozen(datetime(2026, 3, 2, 9, tzinfo=UTC)) as clock:
        case = _resolved(db)
        clock.advance(timedelta(days=1))
        cases.move_case(
            db,
            actor=None,
            case=case,
            status="closed",
            root_cause="  Nobody checked the invoice <script>x</script>  ",
            what_we_change="A second person checks invoices over 1,000.",
        )
    assert case.status == "closed"
    assert case.root_cause == "Nobody checked the invoice <script>x</script>"
    assert case.what_we_change == "A second person checks invoices over 1,000."
    event = cases.list_events(db, actor=None, case=case)[-1]
    assert event.data["to"] == "closed"
    assert event.data["what_we_change"] == "A second person checks invoices over 1,000."


def test_a_root_cause_too_long_is_refused_and_the_case_stays_resolved(db: Session) -> None:
    case = _resolved(db)
    with pytest.raises(Invalid, match="Root cause"):
        cases.close_case(db, actor=None, case=case, root_cause="x" * 2001)
    assert case.status == "resolved"
