"""The mail pump beside every worker also places new cases in the queue's due order (P6, issue 23)."""

from __future__ import annotations

import time
from pathlib import Path

from accord import setup
from accord.cases.models import NO_DEADLINE, Case
from accord.config import get_settings
from accord.db import session_scope
from accord.jobs.worker import MailPump
from accord.users import repository as user_lookup
from tests.helpers import create_case, create_client


def _due(case_id: int) -> tuple[str, object]:
    with session_scope() as db:
        case = db.get(Case, case_id)
        assert case is not None
        return case.next_due, case.next_due_at


def test_a_new_case_gets_its_acknowledge_deadline_in_seconds_not_at_the_next_sweep(data_dir: Path) -> None:
    with session_scope() as db:
        setup.init_workspace(db, owner_email="olivia@desk.example", owner_name="Olivia Owner")
        workspace = user_lookup.workspace_by_slug(db, get_settings().workspace)
        assert workspace is not None
        case_id = create_case(db, create_client(db, workspace), severity=3).id
    assert _due(case_id)[0] == ""  # opened: in the queue, but no deadline stored yet
    pump = MailPump(every_s=0.05)
    pump.start()
    try:
        deadline = time.monotonic() + 10
        while _due(case_id)[0] != "acknowledge" and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        pump.stopped.set()
        pump.join(timeout=5)
    due, due_at = _due(case_id)
    assert due == "acknowledge" and due_at is not None and due_at != NO_DEADLINE
