"""Clients keep what was agreed at onboarding (P1); bad input is refused."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from accord.clients import service as clients
from accord.errors import Conflict, Invalid, NotFound
from tests.helpers import create_client, create_workspace


def test_client_keeps_expectations_and_termination_terms(db: Session) -> None:
    ws = create_workspace(db)
    client = create_client(db, ws, name="Bluebird", termination_terms="60 days' notice")
    found = clients.get_client(db, actor=None, workspace_id=ws.id, key="bluebird")
    assert found.id == client.id
    assert found.termination_terms == "60 days' notice"


def test_duplicate_client_name_is_refused(db: Session) -> None:
    ws = create_workspace(db)
    create_client(db, ws, name="Bluebird")
    with pytest.raises(Conflict):
        create_client(db, ws, name="bluebird ")


@pytest.mark.parametrize(
    "overrides",
    [
        {"name": ""},
        {"monthly_value": -5},
        {"monthly_value": "lots"},
        {"tier": "gold"},
        {"email_domains": ["not a domain"]},
        {"expectations": "x" * 20_001},
    ],
)
def test_bad_client_input_is_refused(db: Session, overrides: dict[str, object]) -> None:
    ws = create_workspace(db)
    with pytest.raises(Invalid):
        create_client(db, ws, **overrides)


def test_sender_is_matched_by_contact_then_domain(db: Session) -> None:
    ws = create_workspace(db)
    client = create_client(db, ws, email_domains=["bluebird.example"])
    other = create_client(db, ws, email_domains=["other.example"])
    clients.add_contact(db, actor=None, client=other, name="Jo", email="jo@bluebird.example")
    assert clients.find_client_for_sender(db, workspace_id=ws.id, email="Jo@Bluebird.example") == other
    assert clients.find_client_for_sender(db, workspace_id=ws.id, email="amy@bluebird.example") == client
    assert clients.find_client_for_sender(db, workspace_id=ws.id, email="x@nowhere.example") is None


def test_unknown_client_is_not_found(db: Session) -> None:
    ws = create_workspace(db)
    with pytest.raises(NotFound):
        clients.get_client(db, actor=None, workspace_id=ws.id, key="Nobody Ltd")
