"""Issue 16 finding 5: client names compare with Unicode case folding on SQLite and PostgreSQL.

SQLite's lower() only folds ASCII, so "Émile Conseil" added twice hit the unique constraint (500), and
"émile conseil" became a second client that `--client "Émile Conseil"` could not find.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from accord import setup
from accord.app import create_app
from accord.clients import service as clients
from accord.db import session_scope
from accord.errors import Conflict
from tests.cli.test_cli import accord
from tests.helpers import create_client, create_workspace
from tests.security.helpers import api_auth


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Émile Conseil", "émile conseil"),
        ("Émile Conseil", "ÉMILE  CONSEIL"),
        ("Straße Bau", "STRASSE BAU"),
        ("Ǆemal Trgovina", "ǆemal trgovina"),
    ],
)
def test_names_differing_only_in_case_are_one_client(db: Session, first: str, second: str) -> None:
    workspace = create_workspace(db)
    created = create_client(db, workspace, name=first)
    with pytest.raises(Conflict, match="already exists"):
        create_client(db, workspace, name=second)
    found = clients.get_client(db, actor=None, workspace_id=workspace.id, key=second)
    assert found.id == created.id and found.name == first


def test_the_same_name_in_another_workspace_is_another_client(db: Session) -> None:
    here, there = create_workspace(db, "here"), create_workspace(db, "there")
    assert (
        create_client(db, here, name="Émile Conseil").id != create_client(db, there, name="émile conseil").id
    )


def test_adding_a_unicode_name_twice_over_the_api_is_409(data_dir: Path) -> None:
    with session_scope() as db:
        setup.init_workspace(db)
    with TestClient(create_app()) as http:
        headers = api_auth("write")
        assert (
            http.post("/api/v1/clients", json={"name": "Émile Conseil"}, headers=headers).status_code == 201
        )
        again = http.post("/api/v1/clients", json={"name": "Émile Conseil"}, headers=headers)
        assert again.status_code == 409 and again.json()["error"] == "conflict"
        assert "Émile Conseil" in again.json()["detail"]
        folded = http.post("/api/v1/clients", json={"name": "émile conseil"}, headers=headers)
        assert folded.status_code == 409
        assert [c["name"] for c in http.get("/api/v1/clients", headers=headers).json()] == ["Émile Conseil"]


def test_cli_finds_a_unicode_client_whatever_the_case(tmp_path: Path) -> None:
    assert accord(tmp_path, "init", "--owner-email", "owner@example.com").returncode == 0
    assert accord(tmp_path, "client", "add", "Émile Conseil").returncode == 0
    twice = accord(tmp_path, "client", "add", "émile conseil")
    assert twice.returncode == 1 and "Traceback" not in twice.stderr and "already exists" in twice.stderr
    shown = accord(tmp_path, "client", "show", "ÉMILE CONSEIL")
    assert shown.returncode == 0 and "Émile Conseil" in shown.stdout
