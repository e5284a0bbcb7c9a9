"""Clients edited after onboarding (P1): one verb checks everything before anything changes, names
the field it refuses (so a form shows the error beside it), and finds clients by typed words."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from accord.clients import service as clients
from accord.clients.schemas import ClientForm, ContactIn
from accord.errors import Conflict, Forbidden, Invalid
from tests.helpers import create_agent, create_client, create_viewer, create_workspace


def test_save_client_creates_with_contacts_and_clean_domains(db: Session) -> None:
    workspace = create_workspace(db)
    form = ClientForm(
        name="Lumen Opticians",
        monthly_value="1,250.50",
        email_domains="lumen.example; @Lumen-Eyes.example lumen.example",
        contacts=[ContactIn(name="Ada Lumen", email="ADA@lumen.example"), ContactIn()],
    )
    client = clients.save_client(db, actor=None, workspace_id=workspace.id, client=None, form=form)
    assert client.email_domains == ["lumen.example", "lumen-eyes.example"]
    assert str(client.monthly_value) == "1250.50"
    assert [(c.name, c.email) for c in client.contacts] == [("Ada Lumen", "ada@lumen.example")]


def test_a_bad_field_changes_nothing_and_names_the_field(db: Session) -> None:
    workspace = create_workspace(db)
    client = create_client(db, workspace)
    name = client.name
    form = ClientForm(name="Something Else", monthly_value="-5", expectations="New promise")
    with pytest.raises(Invalid) as refused:
        clients.save_client(db, actor=None, workspace_id=workspace.id, client=client, form=form)
    assert refused.value.detail == {"field": "Monthly value"}
    assert client.name == name and client.expectations == "Changes live within 5 working days."


def test_renaming_onto_another_client_is_a_conflict_on_the_name(db: Session) -> None:
    workspace = create_workspace(db)
    first, second = create_client(db, workspace), create_client(db, workspace)
    with pytest.raises(Conflict) as clash:
        clients.update_client(
            db,
            actor=None,
            client=second,
            name=first.name.upper(),
            email_domains=[],
            monthly_value="0",
            hourly_rate="0",
            tier="standard",
            expectations="",
            contract_summary="",
            termination_terms="",
            insurance_notes="",
        )
    assert clash.value.field == "Client name"


def test_contacts_are_updated_added_and_removed_in_one_go(db: Session) -> None:
    workspace = create_workspace(db)
    client = create_client(db, workspace)
    kept = clients.add_contact(db, actor=None, client=client, name="Kim", email="kim@acme.example")
    clients.add_contact(db, actor=None, client=client, name="Lee", email="lee@acme.example")
    rows = [
        ContactIn(id=kept.id, name="Kim Park", email="kim@acme.example"),
        ContactIn(name="Mo", phone="555"),
    ]
    clients.save_contacts(db, actor=None, client=client, contacts=rows)
    assert [(c.name, c.phone) for c in client.contacts] == [("Kim Park", ""), ("Mo", "555")]
    with pytest.raises(Invalid, match="not an email address"):
        clients.save_contacts(db, actor=None, client=client, contacts=[ContactIn(name="X", email="x@")])


def test_viewers_cannot_edit_clients(db: Session) -> None:
    workspace = create_workspace(db)
    client = create_client(db, workspace)
    with pytest.raises(Forbidden):
        clients.save_client(
            db,
            actor=create_viewer(db, workspace),
            workspace_id=workspace.id,
            client=client,
            form=ClientForm(name="X"),
        )


def test_search_finds_by_words_in_any_order_and_is_bounded(db: Session) -> None:
    workspace = create_workspace(db)
    for i in range(15):
        create_client(db, workspace, name=f"Northern Lights Dental {i:02d}")
    create_client(db, workspace, name="Dental Northern")
    found = clients.search_clients(db, actor=None, workspace_id=workspace.id, query="northern dental")
    assert len(found) == 10
    assert clients.search_clients(db, actor=None, workspace_id=workspace.id, query="50%_x") == []


def test_pick_client_creates_only_when_asked(db: Session) -> None:
    workspace = create_workspace(db)
    agent = create_agent(db, workspace)
    with pytest.raises(Invalid, match="There is no client named Brand New"):
        clients.pick_client(db, actor=agent, workspace_id=workspace.id, name="Brand New")
    made = clients.pick_client(
        db,
        actor=agent,
        workspace_id=workspace.id,
        name="Brand New",
        create=True,
        email_domain="brandnew.example",
    )
    assert made is not None and made.email_domains == ["brandnew.example"]
    again = clients.pick_client(db, actor=agent, workspace_id=workspace.id, name="brand  new")
    assert again is not None and again.id == made.id
