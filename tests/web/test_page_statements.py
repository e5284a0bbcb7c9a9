"""Each page sends the same number of SQL statements at 5 cases and at 600: nothing per row (issue 23).

Also: a read stays a read. After the first call of the minute, an API GET and the queue write nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from accord import setup
from accord.app import create_app
from accord.cadence import service as cadence
from accord.clock import now
from accord.config import get_settings
from accord.db import get_engine, session_scope
from accord.users import service as users
from accord.users import tokens
from tests.bulk import add_handled_cases
from tests.helpers import create_case, create_client
from tests.statements import statements, writes
from tests.web.conftest import csrf_headers

EMAIL = "olive@example.com"


@dataclass(frozen=True)
class Site:
    """A small workspace: where it lives, who signs in, a case to open, an API token."""

    password: str
    reference: str
    token: str
    workspace_id: int
    client_ids: list[int]
    owner_id: int


@pytest.fixture
def site(data_dir: Path) -> Site:
    with session_scope() as db:
        password = setup.init_workspace(db, owner_email=EMAIL, owner_name="Olive Owner")
        assert password is not None
        workspace = users.find_workspace(db, slug=get_settings().workspace)
        assert workspace is not None
        owner = users.first_owner(db, workspace_id=workspace.id)
        assert owner is not None
        clients = [create_client(db, workspace, name=name) for name in ("Acme Dental", "Bright Bakery")]
        for client in clients:
            create_case(db, client, owner)
        case = create_case(db, clients[0], owner, title="Portal down at filing time")
        cadence.sweep_due(db)
        _, plain = tokens.create_token(db, actor=owner, scope="read")
        return Site(password, case.reference, plain, workspace.id, [c.id for c in clients], owner.id)


@pytest.fixture
def http(site: Site) -> Iterator[TestClient]:
    with TestClient(create_app()) as client:
        client.get("/login")
        client.post(
            "/login",
            data={"email": EMAIL, "password": site.password},
            headers=csrf_headers(client),
            follow_redirects=False,
        )
        yield client


def _measure(http: TestClient, site: Site) -> dict[str, list[str]]:
    bearer = {"Authorization": f"Bearer {site.token}"}
    pages = {
        "queue": lambda: http.get("/"),
        "mine": lambda: http.get("/", params={"view": "mine"}),
        "case": lambda: http.get(f"/cases/{site.reference}"),
        "api list": lambda: http.get("/api/v1/cases", headers=bearer),
    }
    sent = {}
    for name, load in pages.items():
        load()  # once to warm caches and stamp the token's minute
        with statements(get_engine()) as statements_sent:
            assert load().status_code == 200, name
        sent[name] = statements_sent
    return sent


def test_pages_send_the_same_statements_at_5_and_600_cases(http: TestClient, site: Site) -> None:
    small = _measure(http, site)
    with session_scope() as db:
        add_handled_cases(
            db,
            workspace_id=site.workspace_id,
            client_ids=site.client_ids,
            owner_id=site.owner_id,
            count=600,
            at=now(),
        )
    large = _measure(http, site)
    counts = {name: (len(small[name]), len(large[name])) for name in small}
    assert all(a == b for a, b in counts.values()), counts
    assert all(b <= 40 for _a, b in counts.values()), counts


def test_reads_write_nothing(http: TestClient, site: Site) -> None:
    sent = _measure(http, site)
    assert writes(sent["api list"]) == [] and writes(sent["queue"]) == []
