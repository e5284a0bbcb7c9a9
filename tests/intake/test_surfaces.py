"""Intake surfaces: `accord intake email`, POST /api/v1/intake/email (P3)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from accord import setup
from accord.app import create_app
from accord.cli.main import app as cli
from accord.db import session_scope
from tests.intake.test_receive import mail
from tests.security.helpers import authorize


@pytest.fixture
def workspace(data_dir: Path) -> Path:
    """A fresh workspace with its first owner."""
    with session_scope() as db:
        setup.init_workspace(db)
    return data_dir


def test_cli_stores_an_eml_file_once(workspace: Path, tmp_path: Path) -> None:
    eml = tmp_path / "complaint.eml"
    eml.write_bytes(mail("<cli1@acme.example>"))
    runner = CliRunner()
    first = runner.invoke(cli, ["intake", "email", str(eml)])
    second = runner.invoke(cli, ["intake", "email", str(eml)])
    assert first.exit_code == 0, first.output
    assert "message 1 on ACC-1001." in first.output
    assert "message 1 on ACC-1001 (already known)." in second.output
    assert "Stored 0 message(s); 1 already known." in second.output


def test_cli_reads_stdin_and_reports_problems(workspace: Path) -> None:
    result = CliRunner().invoke(cli, ["intake", "email", "-"], input=b"Subject: help\n\nno sender here")
    assert result.exit_code == 0, result.output
    assert "No sender address" in result.output


@pytest.fixture
def api(workspace: Path) -> Iterator[TestClient]:
    """An authorized API client."""
    with TestClient(create_app()) as client:
        yield authorize(client)


def test_api_posts_raw_email_and_dedupes(api: TestClient) -> None:
    headers = {"content-type": "message/rfc822"}
    first = api.post("/api/v1/intake/email", content=mail("<api1@acme.example>"), headers=headers)
    second = api.post("/api/v1/intake/email", content=mail("<api1@acme.example>"), headers=headers)
    assert first.status_code == 200, first.text
    assert first.json()["case"].startswith("ACC-")
    assert second.json() == first.json()


def test_api_keeps_a_malformed_email_with_its_problems(api: TestClient) -> None:
    response = api.post(
        "/api/v1/intake/email", content=b"\xff\xfe\x00garbage", headers={"content-type": "message/rfc822"}
    )
    assert response.status_code == 200, response.text
    assert response.json()["problems"]
