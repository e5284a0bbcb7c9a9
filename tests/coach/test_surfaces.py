"""The coach on the surfaces: `accord coach ...` as a user runs it, and /api/v1 check, draft, replies."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from accord import demo, setup
from accord.app import create_app
from accord.db import session_scope
from tests.playbook.helpers import accord
from tests.security.helpers import authorize

BAD = "Apparently the form doesn't meet desired performance quotas. Please calm down."
GOOD = (
    "Hi Anna, you told us the booking form lost your Monday appointments. I am sorry, and I can see how "
    "stressful that was for your front desk. We will restore the bookings by Thursday at 3 pm and call you."
)


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir with the demo loaded once for this module."""
    path = tmp_path_factory.mktemp("coach-demo")
    result = accord(path, "demo")
    assert result.returncode == 0, result.stderr
    return path


@pytest.fixture
def api(data_dir: Path) -> Iterator[TestClient]:
    """A client on a fresh demo workspace."""
    with session_scope() as db:
        setup.init_workspace(db)
        demo.load_demo(db)
    with TestClient(create_app()) as client:
        yield authorize(client)


def test_cli_check_from_stdin_prints_findings_and_score_as_json(tmp_path: Path) -> None:
    result = accord(tmp_path, "coach", "check", "-", "--json", stdin=BAD)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert {"double_talk", "condescension"} <= {f["rule"] for f in out["findings"]}
    assert 0 <= out["score"] < 70


def test_cli_draft_and_send_on_a_demo_case(demo_dir: Path) -> None:
    draft = accord(demo_dir, "coach", "draft", "ACC-1001", "--purpose", "acknowledge")
    assert draft.returncode == 0, draft.stderr
    check = accord(demo_dir, "coach", "check", "-", "--json", "--case", "ACC-1001", stdin=draft.stdout)
    assert [f for f in json.loads(check.stdout)["findings"] if f["severity"] != "info"] == []
    refused = accord(demo_dir, "coach", "send", "ACC-1001", "-", stdin=BAD)
    assert refused.returncode == 1 and "calm down" in refused.stderr
    sent = accord(demo_dir, "coach", "send", "ACC-1001", "-", "--override", "Tested tone", stdin=BAD)
    assert sent.returncode == 0, sent.stderr


def test_api_check_without_a_case(api: TestClient) -> None:
    body = api.post("/api/v1/coach/check", json={"text": GOOD}).json()
    assert body["score"] >= 90
    assert [f for f in body["findings"] if f["severity"] != "info"] == []


def test_api_draft_then_reply_then_blocked_reply(api: TestClient) -> None:
    draft = api.get("/api/v1/cases/ACC-1001/draft", params={"purpose": "update"})
    assert draft.status_code == 200 and draft.json()["body"].startswith("Hi ")
    sent = api.post("/api/v1/cases/ACC-1001/replies", json={"body": draft.json()["body"]})
    assert sent.status_code == 201
    assert (sent.json()["direction"], sent.json()["state"]) == ("outbound", "queued")
    assert sent.json()["email_message_id"].endswith("@localhost>") and "[ACC-1001]" in sent.json()["subject"]
    blocked = api.post("/api/v1/cases/ACC-1001/replies", json={"body": BAD})
    assert blocked.status_code == 409
    assert blocked.json()["error"] == "conflict"


def test_api_unknown_purpose_is_a_422(api: TestClient) -> None:
    assert api.get("/api/v1/cases/ACC-1001/draft", params={"purpose": "grovel"}).status_code == 422
