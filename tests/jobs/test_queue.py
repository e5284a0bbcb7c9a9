"""The queue by default: a SQLite file in the data dir, consumed in-process (as `accord serve` does)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from huey import RedisHuey, SqliteHuey

from accord.jobs.queue import make_huey

EMBEDDED = """
import json
from accord import setup
from accord.db import session_scope
from accord.jobs import tasks
from accord.jobs.worker import embedded_consumer
from datetime import UTC, datetime
from accord.clock import frozen
from accord.users import repository as user_lookup
from tests.helpers import create_agent, create_case, create_client
with session_scope() as db, frozen(datetime(2026, 3, 2, 10, tzinfo=UTC)):
    setup.init_workspace(db)
    ws = user_lookup.workspace_by_slug(db, "default")
    agent = create_agent(db, ws)
    create_case(db, create_client(db, ws, default_spokesperson_id=agent.id), agent, severity=4)
from sqlalchemy import func, select
from accord.cadence.models import CaseClock, Reminder
with embedded_consumer():
    summary = tasks.sweep_now().get(blocking=True, timeout=60)
with session_scope() as db:
    summary["clocks"] = db.scalar(select(func.count(CaseClock.id)))
    summary["reminders_stored"] = db.scalar(select(func.count(Reminder.id)))
print(json.dumps(summary))
"""


def test_the_default_queue_is_a_sqlite_file_in_the_data_dir(data_dir: Path) -> None:
    huey = make_huey()
    assert isinstance(huey, SqliteHuey)
    assert Path(huey.storage.filename) == (data_dir / "queue.db").resolve()


def test_a_redis_url_switches_to_redis(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from accord.config import get_settings

    monkeypatch.setenv("ACCORD_QUEUE_URL", "redis://127.0.0.1:6379/3")
    get_settings.cache_clear()
    assert isinstance(make_huey(), RedisHuey)


def test_the_embedded_consumer_runs_the_sweep(data_dir: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", EMBEDDED],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    # the overdue case gets its clock and two escalations (acknowledge, resolve), whichever sweep ran
    # first (the periodic one may beat ours); there is no mail server here, so nothing was delivered
    assert (summary["clocks"], summary["reminders_stored"], summary["delivered"]) == (1, 2, 0)
