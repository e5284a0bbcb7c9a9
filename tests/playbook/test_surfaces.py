"""The playbook on the surfaces: `accord playbook ...`, `accord case guide`, and /api/v1 steps and advice."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from accord import demo, setup
from accord.app import create_app
from accord.db import session_scope
from accord.playbook.loader import DEFAULT_PATH
from tests.playbook.helpers import accord
from tests.security.helpers import authorize


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir with the demo loaded once for this module."""
    path = tmp_path_factory.mktemp("playbook-demo")
    result = accord(path, "demo")
    assert result.returncode == 0, result.stderr
    return path


def _new_case(demo_dir: Path, *extra: str) -> str:
    result = accord(
        demo_dir, "case", "new", "--client", "Bluebird Dental", "--title", "Late report", "--json", *extra
    )
    assert result.returncode == 0, result.stderr
    return str(json.loads(result.stdout)["reference"])


def test_validate_reports_line_and_field_with_exit_code_1(tmp_path: Path) -> None:
    broken = tmp_path / "team.yaml"
    broken.write_text(
        DEFAULT_PATH.read_text(encoding="utf-8").replace("      limit: 15\n", "      limit: -1\n")
    )
    result = accord(tmp_path, "playbook", "validate", str(broken))
    assert result.returncode == 1
    assert "field solutions.billing[0].limit" in result.stderr and ", line " in result.stderr
    good = accord(tmp_path, "playbook", "validate", str(DEFAULT_PATH))
    assert good.returncode == 0 and "is valid: version 2026.1" in good.stdout


def test_diff_and_markdown_export(tmp_path: Path, demo_dir: Path) -> None:
    newer = tmp_path / "newer.yaml"
    newer.write_text(
        DEFAULT_PATH.read_text(encoding="utf-8").replace("follow_up_delay: 14d", "follow_up_delay: 7d")
    )
    diff = accord(tmp_path, "playbook", "diff", str(DEFAULT_PATH), str(newer))
    assert diff.stdout.strip() == "~ follow-up delay: 2 weeks -> 1 week"
    md = accord(demo_dir, "playbook", "export", "--format", "md")
    assert md.stdout.startswith("# Accord default playbook (version 2026.1)")


def test_guide_records_a_step_non_interactively(demo_dir: Path) -> None:
    ref = _new_case(demo_dir)
    done = accord(demo_dir, "case", "guide", ref, "--step", "listen", "--notes", "Report was [red]late[/red]")
    assert done.returncode == 0, done.stderr
    skipped = accord(demo_dir, "case", "guide", ref, "--skip", "fix_small_now", "--reason", "Not small")
    assert skipped.returncode == 0, skipped.stderr
    steps = json.loads(accord(demo_dir, "case", "guide", ref, "--list", "--json").stdout)
    by_id = {s["step_id"]: s for s in steps}
    assert by_id["listen"]["state"] == "done" and by_id["listen"]["notes"] == "Report was [red]late[/red]"
    assert by_id["fix_small_now"]["state"] == "skipped"
    assert by_id["review_contract"]["guidance"].startswith("Open the client record")


def test_guide_walks_the_steps_interactively(demo_dir: Path) -> None:
    ref = _new_case(demo_dir)
    answers = "d\nTold them we are on it by 3pm\ns\nNothing to fix quickly\nq\n"
    result = accord(demo_dir, "case", "guide", ref, stdin=answers)
    assert result.returncode == 0, result.stderr
    assert "Acknowledge quickly, do not fire back" in result.stdout
    assert "Recorded acknowledge_quickly." in result.stdout and "Skipped fix_small_now." in result.stdout


def test_guide_shows_the_advisors_view(demo_dir: Path) -> None:
    advice = json.loads(accord(demo_dir, "case", "guide", "ACC-1002", "--advice", "--json").stdout)
    by_topic = {a["topic"]: a for a in advice["advice"]}
    assert by_topic["apology"]["recommendation"] == "Apologise for the mistake"
    assert "the legal check (P11)" in by_topic["preparation"]["missing"]


def test_guide_on_unknown_step_fails_cleanly(demo_dir: Path) -> None:
    result = accord(demo_dir, "case", "guide", _new_case(demo_dir), "--step", "dance")
    assert result.returncode == 1 and "has no step 'dance'" in result.stderr


@pytest.fixture
def api(data_dir: Path) -> Iterator[TestClient]:
    """A client on a fresh demo workspace."""
    with session_scope() as db:
        setup.init_workspace(db)
        demo.load_demo(db)
    with TestClient(create_app()) as client:
        yield authorize(client)


def test_api_steps_gate_and_advice(api: TestClient) -> None:
    ref = api.post("/api/v1/cases", json={"client": "Bluebird Dental", "title": "Broken form"}).json()[
        "reference"
    ]
    steps = api.get(f"/api/v1/cases/{ref}/steps").json()
    assert [s["step_id"] for s in steps][:2] == ["acknowledge_quickly", "fix_small_now"]
    for status in ("acknowledged", "preparing", "in_conversation"):
        assert api.post(f"/api/v1/cases/{ref}/move", json={"status": status}).status_code == 200
    blocked = api.post(f"/api/v1/cases/{ref}/move", json={"status": "resolution_proposed"})
    assert blocked.status_code == 409 and blocked.json()["error"] == "steps_open"
    assert "review_timeline" in blocked.json()["detail"]["open_steps"]
    done = api.post(f"/api/v1/cases/{ref}/steps/review_timeline/complete", json={"notes": "Read it all"})
    assert done.json()["state"] == "done"
    assert api.post(f"/api/v1/cases/{ref}/steps/review_timeline/reopen", json={}).json()["state"] == "open"
    assert api.post(f"/api/v1/cases/{ref}/steps/listen/skip", json={"reason": ""}).status_code == 422
    advice = api.get(f"/api/v1/cases/{ref}/advice").json()
    assert [a["topic"] for a in advice["advice"]] == [
        "approach",
        "apology",
        "channel",
        "spokesperson",
        "preparation",
        "firmness",  # P20: haggling and remain-firm guidance (issue 21)
    ]
    assert api.get("/api/v1/playbook").json()["sla"]["4"]["acknowledge_within"] == "PT1H"


def test_api_saves_step_notes_without_completing(api: TestClient) -> None:
    opened = api.post("/api/v1/cases", json={"client": "Bluebird Dental", "title": "Slow site"})
    ref = opened.json()["reference"]
    saved = api.post(f"/api/v1/cases/{ref}/steps/listen/notes", json={"notes": "Pages take 9 s"})
    assert saved.status_code == 200 and saved.json()["state"] == "open"
    assert saved.json()["notes"] == "Pages take 9 s"
    assert "step_notes_saved" in [e["kind"] for e in api.get(f"/api/v1/cases/{ref}/events").json()]
