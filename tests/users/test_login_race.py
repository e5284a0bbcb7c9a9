"""Issue 16 finding 2: the account lock holds under parallel sign-ins, on SQLite and PostgreSQL.

Ten sign-ins at once, nine wrong and one right: every failure must be counted (main lost them in a
read-modify-write), a right password after three counted failures must be refused while locked, and
X-Forwarded-For must not let one address escape the per-address limit unless it comes from a trusted proxy.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, select

from accord import setup
from accord.db import make_engine, session_scope
from accord.errors import Unauthorized
from accord.migrate import upgrade
from accord.scratch import throwaway_pg_database
from accord.users import auth
from accord.users import service as users
from accord.users.models import AuditEvent, User
from tests.conftest import _pg_reachable

PASSWORD = "right-horse-battery-staple"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def committed_engine(request: pytest.FixtureRequest, data_dir: Path) -> Iterator[Engine]:
    """A database whose rows are committed (threads see each other), thrown away afterwards."""
    if request.param == "sqlite":
        url = f"sqlite:///{data_dir / 'race.db'}"
        data_dir.mkdir(parents=True, exist_ok=True)
        upgrade(url)
        engine = make_engine(url)
        yield engine
        engine.dispose()
        return
    if not _pg_reachable():
        pytest.skip("PostgreSQL is not reachable on 127.0.0.1:5432")
    with throwaway_pg_database("accord_race") as url:
        upgrade(url)
        engine = make_engine(url)
        yield engine
        engine.dispose()


def _owner(engine: Engine) -> str:
    with session_scope(engine) as db:
        workspace = users.ensure_workspace(db, slug="race")
        user, _ = users.add_user(
            db,
            actor=None,
            workspace=workspace,
            name="Rita Race",
            email="rita@race.example",
            role="owner",
            password=PASSWORD,
        )
        return user.email


def _attempt(engine: Engine, email: str, password: str, start: threading.Barrier, out: list[str]) -> None:
    start.wait()
    with session_scope(engine) as db:  # like POST /login: the failure is committed too
        try:
            auth.authenticate(db, email=email, password=password)
            out.append("login")
        except Unauthorized as exc:
            out.append(exc.code)


def test_parallel_sign_ins_count_every_failure(committed_engine: Engine) -> None:
    email = _owner(committed_engine)
    passwords = [f"wrong-{i}" for i in range(9)] + [PASSWORD]
    start, outcomes = threading.Barrier(len(passwords)), []
    threads = [
        threading.Thread(target=_attempt, args=(committed_engine, email, p, start, outcomes))
        for p in passwords
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    with session_scope(committed_engine) as db:
        user = db.scalar(select(User).where(User.email == email))
        events = list(
            db.scalars(select(AuditEvent.action).where(AuditEvent.actor == email).order_by(AuditEvent.id))
        )
    assert len(outcomes) == 10 and len(events) == 10
    assert assert_user_state(user, events)


def assert_user_state(user: User | None, events: list[str]) -> bool:
    """The stored count is exactly the failures since the last success, and the lock was honoured."""
    assert user is not None
    last_login = max((i for i, e in enumerate(events) if e == "login"), default=-1)
    assert user.failed_logins == events[last_login + 1 :].count("login_failed"), events
    if last_login >= 0:  # the right password only got in before three failures had been counted
        assert events[:last_login].count("login_failed") < auth.FREE_ATTEMPTS, events
    failures = events.count("login_failed")
    assert failures >= auth.FREE_ATTEMPTS or "login_locked" not in events
    return True


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _serve(data_dir: Path, port: int, **extra: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "ACCORD_DATA_DIR": str(data_dir), "ACCORD_RATE_LIMIT": "true", **extra}
    env.pop("ACCORD_DATABASE_URL", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "accord", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/login", timeout=1)
            return server
        except httpx.HTTPError:
            time.sleep(0.3)
    server.kill()
    raise AssertionError("accord serve did not start")


def _statuses(port: int, forwarded: bool) -> list[int]:
    out = []
    with httpx.Client(base_url=f"http://127.0.0.1:{port}") as browser:
        browser.get("/login")
        for i in range(12):
            headers = {"X-Forwarded-For": f"203.0.113.{i + 1}"} if forwarded else {}
            form = {
                "email": "nobody@x.example",
                "password": "x",
                "csrftoken": browser.cookies.get("csrftoken"),
            }
            out.append(browser.post("/login", data=form, headers=headers).status_code)
    return out


def test_forwarded_for_from_an_untrusted_peer_does_not_escape_the_address_limit(data_dir: Path) -> None:
    with session_scope() as db:
        setup.init_workspace(db)
    port = _free_port()
    server = _serve(data_dir, port)
    try:
        statuses = _statuses(port, forwarded=True)
    finally:
        server.terminate()
        server.wait(20)
    assert statuses[:10] == [401] * 10 and statuses[10:] == [429, 429], statuses


def test_forwarded_for_from_a_trusted_proxy_names_the_client(data_dir: Path) -> None:
    with session_scope() as db:
        setup.init_workspace(db)
    port = _free_port()
    server = _serve(data_dir, port, ACCORD_TRUSTED_PROXIES='["127.0.0.1"]')
    try:
        statuses = _statuses(port, forwarded=True)
    finally:
        server.terminate()
        server.wait(20)
    assert 429 not in statuses, statuses  # twelve different clients behind our proxy
