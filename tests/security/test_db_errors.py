"""Issue 16 finding 6: a 503 says what happened to the database and is logged; the CLI says it in one line."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from accord import setup
from accord.app import create_app
from accord.config import get_settings
from accord.db import reset_engines, session_scope
from tests.cli.test_cli import accord
from tests.security.helpers import api_auth


def _read_only(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The same SQLite file opened read-only, as on a read-only mount (root ignores file modes)."""
    url = f"sqlite:///file:{(data_dir / 'accord.db').resolve()}?mode=ro&uri=true"
    monkeypatch.setenv("ACCORD_DATABASE_URL", url)
    get_settings.cache_clear()
    reset_engines()
    return url


def test_a_read_only_database_is_named_in_the_503_and_logged(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    with session_scope() as db:
        setup.init_workspace(db)
    headers = api_auth("write")
    _read_only(data_dir, monkeypatch)
    with TestClient(create_app()) as http, caplog.at_level(logging.WARNING, logger="accord.api"):
        response = http.post("/api/v1/clients", json={"name": "Read Only Ltd"}, headers=headers)
    assert response.status_code == 503
    assert response.json()["error"] == "unavailable" and "read-only" in response.json()["detail"]
    assert any("read_only" in record.getMessage() for record in caplog.records)


def test_the_cli_names_a_read_only_database_in_one_line(tmp_path: Path) -> None:
    assert accord(tmp_path, "init").returncode == 0
    url = f"sqlite:///file:{(tmp_path / 'accord.db').resolve()}?mode=ro&uri=true"
    env = {**os.environ, "ACCORD_DATA_DIR": str(tmp_path), "ACCORD_DATABASE_URL": url}
    result = subprocess.run(
        [sys.executable, "-m", "accord", "client", "add", "Read Only Ltd"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1 and "read-only" in result.stderr, result.stderr
