"""The REST API surface: the spec, status codes, id parsing and the JSON error shape."""

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
