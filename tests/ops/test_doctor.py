"""`accord doctor` run as a user runs it, against real parts: aiosmtpd, Redis, a closed port, a wrong URL."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import redis

from accord import setup
from accord.db import session_scope
from accord.intake import mailboxes
from accord.users import repository as user_lookup
from tests.ops.conftest import free_port


def _doctor(data_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, "ACCORD_DATA_DIR": str(data_dir), "ACCORD_ENV": "test", **env}
    for key in ("ACCORD_DATABASE_URL", "ACCORD_QUEUE_URL"):
        if key not in env:
            full.pop(key, None)
    command = [sys.executable, "-m", "accord", "doctor"]
    return subprocess.run(command, capture_output=True, text=True, env=full, timeout=120)


@pytest.fixture
def ready_dir(data_dir: Path) -> Path:
    """A data dir where `accord init` has run."""
    with session_scope() as db:
        setup.init_workspace(db)
    return data_dir


def _redis_up() -> bool:
    try:
        return bool(redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def test_doctor_passes_when_everything_answers(ready_dir: Path, smtp_port: int) -> None:
    if not _redis_up():
        pytest.skip("Redis is not running on 127.0.0.1:6379 (scripts/system-deps.sh starts it)")
    done = _doctor(ready_dir, ACCORD_SMTP_PORT=str(smtp_port), ACCORD_QUEUE_URL="redis://127.0.0.1:6379/0")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Everything Accord needs is in order." in done.stdout
    assert "ok   smtp: mail server at 127.0.0.1:" in done.stdout


def test_doctor_names_each_broken_part_and_the_fix(ready_dir: Path) -> None:
    closed = free_port()
    with session_scope() as db:
        workspace = user_lookup.workspace_by_slug(db, "default")
        assert workspace is not None
        mailboxes.add_mailbox(
            db, actor=None, workspace_id=workspace.id, host="127.0.0.1", port=closed, user="carla",
            password="s3cret", tls="none",
        )  # fmt: skip
    done = _doctor(ready_dir, ACCORD_SMTP_PORT=str(closed), ACCORD_QUEUE_URL=f"redis://127.0.0.1:{closed}/0")
    out = done.stdout
    assert done.returncode == 1 and "Traceback" not in out + done.stderr
    assert f"FAIL queue: cannot reach Redis at redis://127.0.0.1:{closed}/0" in out
    assert "fix: start Redis or fix ACCORD_QUEUE_URL" in out
    assert f"FAIL smtp: cannot talk to the mail server at 127.0.0.1:{closed}" in out
    assert (
        f"FAIL imap carla@127.0.0.1:{closed}/INBOX: Cannot connect to 127.0.0.1:{closed}: connection refused"
        in out
    )
    assert "ok   database" in out and "ok   migrations: every migration applied" in out
    assert "3 problems found." in out


def test_doctor_explains_a_wrong_database_url(data_dir: Path, smtp_port: int) -> None:
    url = f"postgresql+psycopg://accord:secret-pw@127.0.0.1:{free_port()}/accord"
    done = _doctor(data_dir, ACCORD_DATABASE_URL=url, ACCORD_SMTP_PORT=str(smtp_port))
    assert done.returncode == 1
    assert (
        "FAIL database: cannot reach the database at postgresql+psycopg://accord:***@127.0.0.1:"
        in done.stdout
    )
    assert "fix: check ACCORD_DATABASE_URL" in done.stdout
    assert "secret-pw" not in done.stdout


def test_doctor_explains_a_database_never_initialised(data_dir: Path, smtp_port: int) -> None:
    done = _doctor(data_dir, ACCORD_SMTP_PORT=str(smtp_port))
    assert done.returncode == 1
    assert f"FAIL database: no database file at {data_dir.resolve() / 'accord.db'}" in done.stdout
    assert "fix: run `accord init`" in done.stdout
    assert not (data_dir / "accord.db").exists()  # the doctor looks; it creates nothing


def test_doctor_explains_a_bad_setting(data_dir: Path) -> None:
    done = _doctor(data_dir, ACCORD_DATABASE_URL="mysql://db/accord")
    assert done.returncode == 1
    assert (
        "FAIL settings: database_url: Value error, ACCORD_DATABASE_URL must start with sqlite" in done.stdout
    )
