"""`accord demo`: the workspace is ready to use at once, deadlines included (P6, P22)."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select

from accord import demo, setup
from accord.app import create_app
from accord.cadence import service as cadence
from accord.cadence.models import CaseClock
from accord.cases import service as cases
from accord.db import session_scope
from tests.security.helpers import sign_in

CLOCK_COLUMNS = ("acknowledge_due_at", "update_due_at", "resolve_due_at")


def _earliest(values: dict[str, datetime | None]) -> datetime | None:
    found = [v for v in values.values() if v is not None]
    return min(found) if found else None


def test_demo_stores_every_cases_deadlines_and_the_queue_is_due_first(data_dir: Path) -> None:
    with session_scope() as db:
        setup.init_workspace(db)
        demo.load_demo(db)
        login = demo.reset_demo_login(db)
        stored: dict[str, datetime | None] = {}
        for case in cases.list_cases(db, actor=None, workspace_id=1, limit=500):
            clock = db.scalar(select(CaseClock).where(CaseClock.case_id == case.id))
            assert clock is not None, f"{case.reference} has no stored clock before any sweep"
            fresh = cadence.clock_view(db, actor=None, case=case)
            assert {c: getattr(clock, c) for c in CLOCK_COLUMNS} == {c: fresh[c] for c in CLOCK_COLUMNS}
            stored[case.reference] = _earliest({c: getattr(clock, c) for c in CLOCK_COLUMNS})
    assert sum(due is not None for due in stored.values()) >= 15
    with TestClient(create_app()) as browser:
        assert sign_in(browser, *login) == 303
        queue = browser.get("/").text
    shown = re.findall(r'href="/cases/(ACC-\d+)"', queue)
    dues = [stored[ref] for ref in shown if stored[ref] is not None]
    assert len(dues) >= 10 and dues == sorted(dues)  # the nearest deadline first, no sweep needed
    assert shown[: len(dues)] == [ref for ref in shown if stored[ref] is not None]  # then those without
