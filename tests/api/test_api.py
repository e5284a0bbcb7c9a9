"""The REST API skeleton: resources, status codes and the JSON error shape."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from accord import demo, setup
from accord.app import create_app
from accord.db import session_scope
from tests.security.helpers import authorize


@pytest.fixture
def api(data_dir: Path) -> Iterator[TestClient]:
    """A client on a fresh demo workspace."""
    with session_scope() as db:
        setup.init_workspace(db)
        demo.load_demo(db)
    with TestClient(create_app()) as client:
        yield authorize(client)


def test_openapi_is_served(api: TestClient) -> None:
    spec = api.get("/api/openapi.json").json()
    assert "/api/v1/cases" in spec["paths"]
    assert "/api/v1/clients" in spec["paths"]


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


def test_unknown_case_is_404_json(api: TestClient) -> None:
    response = api.get("/api/v1/cases/ACC-99999")
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_invalid_body_is_422_json(api: TestClient) -> None:
    response = api.post("/api/v1/cases", json={"client": "Bluebird Dental", "title": ""})
    assert response.status_code == 422
    assert response.json()["error"] == "invalid"


HUGE = "99999999999999999999"  # above 2**63-1: no database column holds it


@pytest.mark.parametrize("path", [f"/api/v1/clients/{HUGE}", "/api/v1/clients/0", "/api/v1/clients/-3"])
def test_out_of_range_client_id_is_422_not_500(api: TestClient, path: str) -> None:
    response = api.get(path)
    assert response.status_code == 422
    assert response.json()["error"] == "invalid"


def test_largest_possible_client_id_is_404(api: TestClient) -> None:
    response = api.get(f"/api/v1/clients/{2**63 - 1}")
    assert response.status_code == 404 and response.json()["error"] == "not_found"


def test_out_of_range_offer_id_is_422(api: TestClient) -> None:
    ref = api.get("/api/v1/cases", params={"limit": 1}).json()[0]["reference"]
    response = api.post(f"/api/v1/cases/{ref}/offers/{HUGE}/response", json={"accepted": True})
    assert response.status_code == 422
    assert api.post(f"/api/v1/cases/{ref}/offers/{HUGE}/approve").status_code == 422


def test_client_key_beyond_64_bits_is_404(api: TestClient) -> None:
    response = api.post(f"/api/v1/clients/{HUGE}/end-relationship", json={"reason": "Abusive emails."})
    assert response.status_code == 404


@pytest.mark.parametrize("spokesperson", [int(HUGE), 987654])
def test_unknown_spokesperson_for_a_new_client_is_422(api: TestClient, spokesperson: int) -> None:
    body = {"name": "Gull Studio", "default_spokesperson_id": spokesperson}
    response = api.post("/api/v1/clients", json=body)
    assert response.status_code == 422
    assert "Gull Studio" not in [c["name"] for c in api.get("/api/v1/clients").json()]


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
