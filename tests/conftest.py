"""Shared fixtures: real SQLite and PostgreSQL databases built by Alembic, rolled back per test."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

os.environ.setdefault("ACCORD_ENV", "test")
os.environ.setdefault("ACCORD_RATE_LIMIT", "false")

from accord.config import get_settings
from accord.db import make_engine, reset_engines
from accord.migrate import upgrade
from accord.scratch import throwaway_pg_database


def _pg_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture(scope="session")
def sqlite_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """A real SQLite file with the schema made by `alembic upgrade heads`."""
    path = tmp_path_factory.mktemp("sqlite") / "accord.db"
    url = f"sqlite:///{path}"
    upgrade(url)
    engine = make_engine(url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def pg_engine() -> Iterator[Engine]:
    """A throw-away PostgreSQL database (ACCORD_TEST_DATABASE_URL or the local server)."""
    explicit = os.environ.get("ACCORD_TEST_DATABASE_URL")
    if explicit:
        upgrade(explicit)
        engine = make_engine(explicit)
        yield engine
        engine.dispose()
        return
    if not _pg_reachable():
        pytest.skip("PostgreSQL is not reachable on 127.0.0.1:5432 and ACCORD_TEST_DATABASE_URL is unset")
    with throwaway_pg_database("accord_test") as url:
        upgrade(url)
        engine = make_engine(url)
        yield engine
        engine.dispose()


def _rolled_back_session(engine: Engine) -> Iterator[Session]:
    connection = engine.connect()
    transaction = connection.begin()
    session = Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    try:
        yield session
    finally:
        session.close()
        transaction.rollback()
        connection.close()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest) -> Iterator[Session]:
    """A session on SQLite and on PostgreSQL (same test, both databases), rolled back afterwards."""
    engine = request.getfixturevalue("sqlite_engine" if request.param == "sqlite" else "pg_engine")
    yield from _rolled_back_session(engine)


@pytest.fixture
def sqlite_db(sqlite_engine: Engine) -> Iterator[Session]:
    """A rolled-back session on SQLite only (for tests that need no second database)."""
    yield from _rolled_back_session(sqlite_engine)


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh ACCORD_DATA_DIR with its own SQLite file, for CLI, API and app tests."""
    monkeypatch.setenv("ACCORD_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("ACCORD_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    reset_engines()
    yield tmp_path / "data"
    get_settings.cache_clear()
    reset_engines()
