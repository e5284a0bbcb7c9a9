"""Offer surfaces: `accord offer ...` and /api/v1/cases/{ref}/offers (P19-P21)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from accord import setup
from accord.app import create_app
from accord.cli.main import app as cli
from accord.db import session_scope
from tests.security.helpers import authorize


@pytest.fixture
def workspace(data_dir: Path) -> Path:
    """A fresh workspace with its first owner and a client."""
    with session_scope() as db:
        setup.init_workspace(db)
    runner = CliRunner()
    result = runner.invoke(cli, ["client", "add", "Acme Dental", "--domain", "acme.example"])
    assert result.exit_code == 0, result.output
    return data_dir


def _new_case(runner: CliRunner) -> str:
    result = runner.invoke(
        cli,
        [
            "case",
            "new",
            "--client",
            "Acme Dental",
            "--title",
            "Charged twice",
            "--category",
            "billing",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    return str(json.loads(result.output)["reference"])


def test_cli_proposes_lists_and_records_the_answer(workspace: Path) -> None:
    runner = CliRunner()
    ref = _new_case(runner)
    proposed = runner.invoke(cli, ["offer", "propose", ref, "billing_credit", "--amount", "10"])
    assert proposed.exit_code == 0, proposed.output
    listed = runner.invoke(cli, ["offer", "list", ref])
    assert "billing_credit" in listed.output and "Account credit 10 % (limit 15 %) proposed" in listed.output
    answered = runner.invoke(cli, ["offer", "accept", ref, "1"])
    assert "Offer #1 accepted." in answered.output


def test_cli_unknown_solution_fails_with_a_readable_message(workspace: Path) -> None:
    runner = CliRunner()
    ref = _new_case(runner)
    result = runner.invoke(cli, ["offer", "propose", ref, "free_pony", "--amount", "1"])
    assert result.exit_code == 1  # main() prints AccordError messages on stderr (tests/cli covers that)
    assert "For billing cases: billing_credit, billing_refund" in str(result.exception)


@pytest.fixture
def api(workspace: Path) -> Iterator[TestClient]:
    """An authorized API client (the workspace owner)."""
    with TestClient(create_app()) as client:
        yield authorize(client)


def test_api_offer_beyond_limit_by_owner_is_approved_and_listed(api: TestClient) -> None:
    ref = _new_case(CliRunner())
    created = api.post(f"/api/v1/cases/{ref}/offers", json={"solution_id": "billing_credit", "amount": 25})
    assert created.status_code == 201, created.text
    assert created.json()["needs_approval"] and created.json()["approved"]
    listed = api.get(f"/api/v1/cases/{ref}/offers").json()
    assert [o["amount"] for o in listed["offers"]] == [25]
    assert {s["id"] for s in listed["solutions"]} == {"billing_credit", "billing_refund"}


def test_api_answering_twice_is_409(api: TestClient) -> None:
    ref = _new_case(CliRunner())
    offer = api.post(
        f"/api/v1/cases/{ref}/offers", json={"solution_id": "billing_refund", "amount": 120}
    ).json()
    url = f"/api/v1/cases/{ref}/offers/{offer['id']}/response"
    assert api.post(url, json={"accepted": False}).json()["status"] == "declined"
    again = api.post(url, json={"accepted": True})
    assert again.status_code == 409 and again.json()["error"] == "conflict"


def test_cli_every_offer_verb_and_the_drift_warning(workspace: Path) -> None:
    """P19, P20: propose, counter, revise (drift refused, then confirmed), withdraw, decline, list."""
    runner = CliRunner()
    ref = _new_case(runner)
    blank = runner.invoke(cli, ["offer", "propose", ref, "billing_credit"])
    assert blank.exit_code == 1 and "Enter an amount in %" in str(blank.exception)  # never the maximum
    assert runner.invoke(cli, ["offer", "propose", ref, "billing_credit", "--amount", "10"]).exit_code == 0
    countered = runner.invoke(cli, ["offer", "counter", ref, "1", "--amount", "40"])
    assert "Counter #2 recorded on offer #1: 40 %." in countered.output
    drift = runner.invoke(cli, ["offer", "revise", ref, "1", "--amount", "20"])
    assert drift.exit_code == 1 and "Offers so far: 10 % -> 20 %" in str(drift.exception)
    revised = runner.invoke(cli, ["offer", "revise", ref, "1", "--amount", "20", "--accept-drift"])
    assert "Offer #3 on" in revised.output and "beyond" not in revised.output
    assert "Offer #3 withdrawn." in runner.invoke(cli, ["offer", "withdraw", ref, "3"]).output
    runner.invoke(cli, ["offer", "propose", ref, "billing_refund", "--amount", "100"])
    assert "Offer #4 declined." in runner.invoke(cli, ["offer", "decline", ref, "4"]).output
    listed = runner.invoke(cli, ["offer", "list", ref, "--json"])
    data = json.loads(listed.output)
    assert [o["status"] for o in data["offers"]] == ["superseded", "counter", "withdrawn", "declined"]
    assert data["firmness"]["history"][0]["kind"] == "counter_after_offer"
    shown = json.loads(runner.invoke(cli, ["case", "show", ref, "--json"]).output)
    assert shown["firmness"]["haggling"] is True  # P20 in `case show --json`


def test_api_case_shows_haggling_and_costs_are_reported(api: TestClient) -> None:
    ref = _new_case(CliRunner())
    offer = api.post(
        f"/api/v1/cases/{ref}/offers", json={"solution_id": "billing_credit", "amount": 10}
    ).json()
    api.post(f"/api/v1/cases/{ref}/offers/{offer['id']}/counter", json={"amount": 30})
    api.post(f"/api/v1/cases/{ref}/messages", json={"body": "What is the best you can do?"})
    case = api.get(f"/api/v1/cases/{ref}").json()
    assert case["firmness"]["haggling"] and case["firmness"]["repeated"]  # a counter, then a message
    drift = api.post(f"/api/v1/cases/{ref}/offers/{offer['id']}/revise", json={"amount": 12})
    assert drift.status_code == 409 and drift.json()["error"] == "concession_drift"
    assert drift.json()["detail"]["history"] == [10]
    accepted = api.post(f"/api/v1/cases/{ref}/offers/{offer['id']}/accept")
    assert accepted.json()["status"] == "accepted"
    costs = api.get("/api/v1/offers/costs", params={"by": "category"}).json()
    assert costs == [{"key": "billing", "offers": 1, "total": 0.0, "currency": "EUR"}]  # no monthly value
    assert api.get(f"/api/v1/cases/{ref}/exit").json()["show"] is False
