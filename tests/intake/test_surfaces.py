"""Intake surfaces: `accord intake email`, POST /api/v1/intake/email (P3)."""

from __future__ import annotations

import json
import mailbox
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


def test_cli_imports_several_files_and_an_mbox_once(workspace: Path, tmp_path: Path) -> None:
    files = []
    for n in range(3):
        path = tmp_path / f"m{n}.eml"
        path.write_bytes(mail(f"<multi{n}@acme.example>", subject=f"Problem {n}"))
        files.append(str(path))
    first = CliRunner().invoke(cli, ["intake", "email", *files])
    assert "Stored 3 message(s); 0 already known." in first.output
    box = mailbox.mbox(str(tmp_path / "old.mbox"))
    for n in range(5):
        box.add(mail(f"<mbox{n}@acme.example>", subject=f"Archive {n}"))
    box.add(mail("<multi0@acme.example>", subject="Problem 0"))  # already imported from its file
    box.flush()
    imported = CliRunner().invoke(cli, ["intake", "mbox", str(tmp_path / "old.mbox")])
    again = CliRunner().invoke(cli, ["intake", "mbox", str(tmp_path / "old.mbox")])
    assert "Stored 5 message(s); 1 already known." in imported.output, imported.output
    assert "Stored 0 message(s); 6 already known." in again.output


def test_unmatched_case_moves_to_a_client_through_api_and_cli(api: TestClient) -> None:
    headers = {"content-type": "message/rfc822"}
    stranger = mail("<who1@nowhere.example>", sender="dana@nowhere.example", subject="Refund please")
    ref = api.post("/api/v1/intake/email", content=stranger, headers=headers).json()["case"]
    other = mail("<who2@nowhere.example>", sender="eli@elsewhere.example", subject="Broken page")
    ref2 = api.post("/api/v1/intake/email", content=other, headers=headers).json()["case"]
    created = api.post("/api/v1/clients", json={"name": "Nowhere Ltd"})
    assert created.status_code == 201, created.text
    moved = api.post(f"/api/v1/intake/cases/{ref}/client", json={"client": "Nowhere Ltd"})
    assert moved.json() == {"case": ref, "client": "Nowhere Ltd"}
    listed = CliRunner().invoke(cli, ["intake", "unmatched", "--json"])
    assert [c["reference"] for c in json.loads(listed.output)["cases"]] == [ref2]
    assert [c["reference"] for c in api.get("/api/v1/intake/unmatched").json()["cases"]] == [ref2]
    assigned = CliRunner().invoke(cli, ["intake", "assign", ref2, "--client", "Nowhere Ltd"])
    assert assigned.exit_code == 0 and f"{ref2} is now on Nowhere Ltd." in assigned.output
    client = api.get("/api/v1/clients").json()
    nowhere = next(c for c in client if c["name"] == "Nowhere Ltd")
    detail = api.get(f"/api/v1/clients/{nowhere['id']}").json()
    assert sorted(c["email"] for c in detail["contacts"]) == ["dana@nowhere.example", "eli@elsewhere.example"]
    follow_up = mail("<who3@nowhere.example>", sender="dana@nowhere.example", subject="Another thing")
    assert api.post("/api/v1/intake/email", content=follow_up, headers=headers).json()["case"] not in (
        ref,
        ref2,
    )
