"""The client's confirmation pages (no account), the clocks API and the CLI (P6, P22, P23)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from accord import setup
from accord.app import create_app
from accord.cadence import confirmation as confirm
from accord.cadence import service as cadence
from accord.clients import service as clients
from accord.db import session_scope
from accord.users import repository as user_lookup
from tests.cadence.helpers import walk_to
from tests.helpers import create_agent, create_case, create_client
from tests.playbook.helpers import accord
from tests.security.helpers import authorize

HOSTILE = 'Refund <script>alert("x")</script> now'


@dataclass
class Site:
    client: TestClient
    reference: str
    token: str


@pytest.fixture
def site(data_dir: Path) -> Iterator[Site]:
    """A workspace with one case awaiting the client's confirmation."""
    with session_scope() as db:
        setup.init_workspace(db, owner_email="olivia@desk.example", owner_name="Olivia")
        ws = user_lookup.workspace_by_slug(db, "default")
        assert ws is not None
        agent = create_agent(db, ws)
        client = create_client(db, ws, default_spokesperson_id=agent.id)
        clients.add_contact(db, actor=agent, client=client, name="Dana", email="dana@acme.example")
        case = create_case(db, client, agent, title=HOSTILE)
        walk_to(db, case, "resolution_proposed", agent)
        _c, url = confirm.request_confirmation(db, actor=agent, case=case)
        reference = case.reference
    with TestClient(create_app()) as http:
        yield Site(authorize(http), reference, url.rsplit("/", 1)[1])


def test_the_confirmation_page_asks_plainly_and_escapes_the_title(site: Site) -> None:
    page = site.client.get(f"/confirm/{site.token}")
    assert page.status_code == 200
    assert "Yes, this is resolved" in page.text and "Not yet" in page.text
    assert "<script>alert" not in page.text and "&lt;script&gt;" in page.text


def test_answering_yes_resolves_and_the_link_then_says_it_was_used(site: Site) -> None:
    done = site.client.post(f"/confirm/{site.token}", data={"answer": "yes", "comment": "<b>fine</b>"})
    again = site.client.get(f"/confirm/{site.token}")
    case = site.client.get(f"/api/v1/cases/{site.reference}").json()
    assert done.status_code == 200 and "Thank you" in done.text
    assert case["status"] == "resolved"
    assert again.status_code == 400 and "already used" in again.text


def test_a_tampered_link_gets_a_clear_page(site: Site) -> None:
    page = site.client.get(f"/confirm/{site.token}x")
    assert page.status_code == 400
    assert "This link cannot be used" in page.text and "not valid" in page.text


def test_the_clocks_api_shows_the_pause_while_awaiting_the_client(site: Site) -> None:
    clocks = site.client.get(f"/api/v1/cases/{site.reference}/clocks").json()
    assert clocks["status"] == "awaiting_confirmation"
    assert clocks["paused"] is True and clocks["update_due_at"] is None


def test_reminders_api_lists_nothing_before_a_sweep(site: Site) -> None:
    assert site.client.get("/api/v1/reminders").json() == []


def test_cli_sla_status_and_call_confirmation(site: Site, data_dir: Path) -> None:
    status = accord(data_dir, "sla", "status", "--json")
    confirmed = accord(data_dir, "case", "confirm", site.reference, "--note", "Dana confirmed by phone.")
    listed = accord(data_dir, "reminders", "list", "--json")
    assert status.returncode == 0, status.stderr
    assert [r["reference"] for r in json.loads(status.stdout)] == [site.reference]
    assert confirmed.returncode == 0, confirmed.stderr
    assert "resolved" in confirmed.stdout
    assert json.loads(listed.stdout) == []


def test_the_follow_up_page_stores_the_rating_and_closes_the_case(site: Site) -> None:
    from sqlalchemy import select

    from accord.cadence.models import FollowUp
    from accord.clock import now
    from accord.notify.models import OutboxMessage

    site.client.post(f"/api/v1/cases/{site.reference}/call-confirmation", json={"note": "Fine, said Dana."})
    with session_scope() as db:
        db.scalars(select(FollowUp)).one().scheduled_at = now()
    with session_scope() as db:
        cadence.sweep_due(db)
        body = db.scalars(select(OutboxMessage).where(OutboxMessage.key.like("follow-up:%"))).one().body
    token = body.split("/follow-up/")[1].split()[0]
    page = site.client.get(f"/follow-up/{token}")
    done = site.client.post(f"/follow-up/{token}", data={"rating": "5", "comment": "Kept me posted."})
    case = site.client.get(f"/api/v1/cases/{site.reference}").json()
    assert page.status_code == 200 and 'name="rating"' in page.text
    assert done.status_code == 200 and case["status"] == "closed"


def test_the_api_asks_the_client_for_confirmation(data_dir: Path) -> None:
    with session_scope() as db:
        setup.init_workspace(db, owner_email="olivia@desk.example", owner_name="Olivia")
        ws = user_lookup.workspace_by_slug(db, "default")
        assert ws is not None
        case = create_case(db, create_client(db, ws))
        walk_to(db, case, "resolution_proposed")
        reference = case.reference
    with TestClient(create_app()) as http:
        asked = authorize(http).post(f"/api/v1/cases/{reference}/confirmation-request")
    assert asked.status_code == 201
    assert asked.json()["status"] == "awaiting_confirmation" and "/confirm/" in asked.json()["url"]
