"""Cases through the surfaces: the case verbs as the API and the `accord` command expose them."""

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


@pytest.fixture
def api(data_dir: Path) -> Iterator[TestClient]:
    """An API client on a fresh demo workspace."""
    with session_scope() as db:
        setup.init_workspace(db)
        demo.load_demo(db)
    with TestClient(create_app()) as client:
        yield authorize(client)


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir with the demo loaded once for this module."""
    path = tmp_path_factory.mktemp("cases-cli-demo")
    result = accord(path, "demo")
    assert result.returncode == 0, result.stderr
    return path


def test_list_and_get_cases(api: TestClient) -> None:
    rows = api.get("/api/v1/cases", params={"limit": 5}).json()
    assert len(rows) == 5
    one = api.get(f"/api/v1/cases/{rows[0]['reference']}").json()
    assert one["reference"] == rows[0]["reference"]


def test_open_case_with_message_and_read_timeline(api: TestClient) -> None:
    created = api.post(
        "/api/v1/cases",
        json={
            "client": "Bluebird Dental",
            "title": "Broken form",
            "text": "The contact form errors out.",
            "channel": "form",
        },
    )
    assert created.status_code == 201
    ref = created.json()["reference"]
    messages = api.get(f"/api/v1/cases/{ref}/messages").json()
    assert messages[0]["body"] == "The contact form errors out."
    events = api.get(f"/api/v1/cases/{ref}/events").json()
    assert [e["kind"] for e in events] == ["case_opened", "steps_instantiated", "message_received"]


def test_illegal_move_is_409_with_allowed_states(api: TestClient) -> None:
    ref = api.post("/api/v1/cases", json={"client": "Bluebird Dental", "title": "X"}).json()["reference"]
    response = api.post(f"/api/v1/cases/{ref}/move", json={"status": "closed"})
    assert response.status_code == 409
    body = response.json()
    assert body["error"] == "illegal_transition"
    assert body["detail"]["allowed"] == ["acknowledged", "escalated", "on_hold"]


def test_moving_to_resolved_needs_the_clients_confirmation(api: TestClient) -> None:
    waiting = api.get("/api/v1/cases", params={"status": "awaiting_confirmation", "limit": 1}).json()[0]
    response = api.post(f"/api/v1/cases/{waiting['reference']}/move", json={"status": "resolved"})
    assert response.status_code == 409
    assert response.json()["error"] == "needs_client_confirmation"  # P23
    assert api.get(f"/api/v1/cases/{waiting['reference']}").json()["status"] == "awaiting_confirmation"


def test_facts_override_the_severity_with_a_reason_and_land_on_the_timeline(api: TestClient) -> None:
    ref = api.post(
        "/api/v1/cases",
        json={"client": "Bluebird Dental", "title": "Launch slipped", "severity": 2, "category": "delay"},
    ).json()["reference"]
    refused = api.post(f"/api/v1/cases/{ref}/facts", json={"severity": 4, "fault": "ours"})
    assert refused.status_code == 422
    assert "Say why the severity changes from 2 to 4" in refused.json()["detail"]
    assert api.get(f"/api/v1/cases/{ref}").json()["fault"] == "unknown"  # nothing half-applied
    done = api.post(
        f"/api/v1/cases/{ref}/facts",
        json={
            "severity": 4,
            "severity_reason": "Chargeback filed",
            "fault": "ours",
            "requested_remedy": "Refund May",
        },
    )
    assert done.status_code == 200
    assert (done.json()["severity"], done.json()["fault"], done.json()["requested_remedy"]) == (
        4,
        "ours",
        "Refund May",
    )
    events = api.get(f"/api/v1/cases/{ref}/events").json()
    changed = next(e for e in events if e["kind"] == "severity_changed")
    assert changed["data"] == {"from": 2, "to": 4, "reason": "Chargeback filed"}
    assert api.post(f"/api/v1/cases/{ref}/facts", json={"fault": "ours"}).json()["error"] == "invalid"
    assert api.post(f"/api/v1/cases/{ref}/facts", json={"severity": 9}).status_code == 422
    assert api.post("/api/v1/cases/ACC-99999/facts", json={"fault": "ours"}).status_code == 404


def test_demo_case_list_json_covers_every_status(demo_dir: Path) -> None:
    result = accord(demo_dir, "case", "list", "--json")
    rows = json.loads(result.stdout)
    assert len(rows) >= 25
    assert {"reference", "status", "severity", "category", "client", "owner"} <= set(rows[0])
    statuses = {r["status"] for r in rows}
    assert statuses >= {
        "new",
        "acknowledged",
        "preparing",
        "in_conversation",
        "resolution_proposed",
        "awaiting_confirmation",
        "resolved",
        "closed",
        "escalated",
        "on_hold",
        "reopened",
    }
    assert len({r["client"] for r in rows}) >= 6
    assert {r["severity"] for r in rows} == {1, 2, 3, 4}


def test_new_case_cannot_be_closed_and_the_error_names_allowed_states(demo_dir: Path) -> None:
    created = accord(
        demo_dir,
        "case",
        "new",
        "--client",
        "Bluebird Dental",
        "--title",
        "Logo blurry",
        "--text",
        "The logo on the new site is blurry on phones.",
        "--json",
    )
    assert created.returncode == 0, created.stderr
    reference = json.loads(created.stdout)["reference"]
    moved = accord(demo_dir, "case", "move", reference, "closed")
    assert moved.returncode == 1
    assert moved.stderr.strip().count("\n") == 0  # one line
    assert "cannot move to closed" in moved.stderr
    assert "acknowledged, escalated, on_hold" in moved.stderr
    shown = json.loads(accord(demo_dir, "case", "show", reference, "--json").stdout)
    assert shown["status"] == "new"
    assert [m["body"] for m in shown["messages"]] == ["The logo on the new site is blurry on phones."]


def test_assign_counts_a_handoff(demo_dir: Path) -> None:
    created = json.loads(
        accord(
            demo_dir, "case", "new", "--client", "Summit Physio", "--title", "Report late", "--json"
        ).stdout
    )
    out = accord(demo_dir, "case", "assign", created["reference"], "tom@northwind.example", "--json")
    assert json.loads(out.stdout)["owner"] == "Tom Lindqvist"
    assert json.loads(out.stdout)["handoff_count"] == 1


def test_case_set_changes_facts_and_refuses_a_bare_severity_change(demo_dir: Path) -> None:
    created = json.loads(
        accord(
            demo_dir,
            "case",
            "new",
            "--client",
            "Summit Physio",
            "--title",
            "Wrong invoice",
            "--severity",
            "2",
            "--json",
        ).stdout
    )
    reference = created["reference"]
    bare = accord(demo_dir, "case", "set", reference, "--severity", "3")
    assert bare.returncode == 1 and bare.stderr.startswith("Error: Say why the severity changes from 2 to 3")
    wild = accord(demo_dir, "case", "set", reference, "--severity", "7")
    assert wild.returncode == 1 and wild.stderr.startswith("Error: severity:")
    assert "Traceback" not in wild.stderr
    done = accord(
        demo_dir,
        "case",
        "set",
        reference,
        "--severity",
        "3",
        "--reason",
        "Second wrong invoice",
        "--approach",
        "accommodate",
        "--approach-reason",
        "Our error, small amount",
    )
    assert done.returncode == 0, done.stderr
    assert f"{reference}: changed severity, approach." in done.stdout
    shown = json.loads(accord(demo_dir, "case", "show", reference, "--json").stdout)
    assert (shown["severity"], shown["approach"]) == (3, "accommodate")
    kinds = [e["kind"] for e in shown["events"]]
    assert "severity_changed" in kinds and "approach_changed" in kinds
