"""Real Huey consumers: two workers on Redis never send a reminder twice; a killed worker loses nothing."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from huey import RedisHuey
from sqlalchemy import func, select

from accord import setup
from accord.cadence.models import Reminder
from accord.clock import frozen
from accord.db import session_scope
from accord.notify.models import OutboxMessage
from accord.users import repository as user_lookup
from tests.helpers import create_agent, create_case, create_client, create_owner

REDIS = "redis://127.0.0.1:6379/0"
CASES = 12
PAST_MONDAY = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)  # every acknowledgement is long overdue by now


def _redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(not _redis_up(), reason="Redis is not reachable on 127.0.0.1:6379"),
]


@pytest.fixture
def queue(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[RedisHuey]:
    """A workspace with overdue cases and a Redis queue of its own (unique name, flushed afterwards)."""
    name = f"accord-test-{uuid.uuid4().hex[:8]}"
    monkeypatch.setenv("ACCORD_QUEUE_URL", REDIS)
    monkeypatch.setenv("ACCORD_QUEUE_NAME", name)
    with session_scope() as db, frozen(PAST_MONDAY):
        setup.init_workspace(db)
        ws = user_lookup.workspace_by_slug(db, "default")
        assert ws is not None
        create_owner(db, ws)
        agent = create_agent(db, ws)
        client = create_client(db, ws, default_spokesperson_id=agent.id)
        for n in range(CASES):
            create_case(db, client, agent, title=f"Site down {n}", severity=4)
    huey = RedisHuey(name, url=REDIS)
    yield huey
    huey.storage.flush_all()


def _worker(log: Path, *, periodic: bool = True) -> subprocess.Popen[bytes]:
    out = log.open("wb")
    flag = "--periodic" if periodic else "--no-periodic"
    return subprocess.Popen(
        [sys.executable, "-m", "accord", "worker", "--workers", "2", flag],
        stdout=out,
        stderr=subprocess.STDOUT,
        env={**os.environ},
    )


def _enqueue(count: int, hold_s: float = 0.0) -> None:
    code = f"from accord.jobs.tasks import sweep_now\nfor _ in range({count}): sweep_now({hold_s})"
    subprocess.run([sys.executable, "-c", code], check=True, env={**os.environ}, timeout=60)


def _wait(predicate, timeout: float = 60) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out waiting for the workers"
        time.sleep(0.2)


def _counts() -> tuple[int, int, int, int]:
    with session_scope() as db:
        reminders = db.scalar(select(func.count(Reminder.id))) or 0
        keys = db.scalar(select(func.count(func.distinct(Reminder.key)))) or 0
        cases = db.scalar(select(func.count(func.distinct(Reminder.case_id)))) or 0
        outbox = db.scalar(select(func.count(OutboxMessage.id))) or 0
    return reminders, keys, cases, outbox


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_two_workers_on_redis_send_each_reminder_once(queue: RedisHuey, tmp_path: Path) -> None:
    workers = [_worker(tmp_path / "w1.log"), _worker(tmp_path / "w2.log")]
    try:
        # both consumers must be listening before the jobs arrive, or a slow start leaves one idle
        _wait(lambda: all("consumer started" in (tmp_path / f"w{n}.log").read_text() for n in (1, 2)))
        _enqueue(16)
        _wait(lambda: queue.pending_count() == 0 and queue.result_count() >= 16)
    finally:
        for proc in workers:
            _stop(proc)
    reminders, keys, cases, outbox = _counts()
    # per case: one escalation for the missed acknowledgement and one for the missed resolution
    assert (reminders, keys, cases) == (CASES * 2, CASES * 2, CASES)
    assert outbox == CASES * 4  # each to the spokesperson and the owner, once
    logs = [(tmp_path / f"w{n}.log").read_text() for n in (1, 2)]
    assert all("sweep done:" in log for log in logs), "both workers should have swept"


def test_a_worker_killed_mid_job_loses_nothing_and_duplicates_nothing(
    queue: RedisHuey, tmp_path: Path
) -> None:
    # no minute sweep here: it could commit before the held job starts and blur what the kill undid
    first = _worker(tmp_path / "killed.log", periodic=False)
    try:
        _enqueue(1, hold_s=30)
        _wait(lambda: queue.pending_count() == 0)
        time.sleep(1.5)  # the sweep now holds its transaction open
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        _stop(first)
    assert _counts() == (0, 0, 0, 0)  # the crash rolled everything back
    second = _worker(tmp_path / "restarted.log", periodic=False)
    try:
        _enqueue(3)
        _wait(lambda: queue.pending_count() == 0 and queue.result_count() >= 3)
    finally:
        _stop(second)
    assert _counts() == (CASES * 2, CASES * 2, CASES, CASES * 4)
