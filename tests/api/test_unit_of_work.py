"""The request's transaction is committed before the reply leaves (house rule 3)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, select, text

from accord import setup
from accord.app import create_app
from accord.clients.models import Client
from accord.config import get_settings
from accord.db import reset_engines, session_scope
from accord.http.deps import get_db
from accord.migrate import upgrade
from tests.security.helpers import authorize

NEW_CLIENT = {"name": "Harbour Bakery", "email_domains": ["harbour.example"], "monthly_value": 800}


def _stored_client_names() -> list[str]:
    """What another connection (another client of the server) can read right now."""
    with session_scope() as db:
        return list(db.scalars(select(Client.name)))


class SeeAtFirstByte:
    """ASGI wrapper: when the status line goes out, read the database from a second connection."""

    def __init__(self, app: Any) -> None:
        self.app, self.seen_at_reply = app, None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        async def watching_send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start" and scope["path"] == "/api/v1/clients":
                self.seen_at_reply = _stored_client_names()
            await send(message)

        await self.app(scope, receive, watching_send)


def test_write_is_visible_when_the_2xx_goes_out(data_dir: Path) -> None:
    with session_scope() as db:
        setup.init_workspace(db)
    watcher = SeeAtFirstByte(create_app())
    with TestClient(watcher) as http:
        authorize(http)
        response = http.post("/api/v1/clients", json=NEW_CLIENT)
    assert response.status_code == 201
    assert watcher.seen_at_reply is not None and "Harbour Bakery" in watcher.seen_at_reply


def _dependency_scopes(dependant: Any) -> Iterator[tuple[Any, str | None]]:
    for sub in dependant.dependencies:
        yield sub.call, sub.scope
        yield from _dependency_scopes(sub)


def _api_routes(routes: list[Any]) -> Iterator[Any]:
    for route in routes:
        included = getattr(route, "original_router", None)
        if included is not None:
            yield from _api_routes(included.routes)
        elif hasattr(route, "dependant"):
            yield route


def test_every_route_commits_before_its_reply() -> None:
    routes = list(_api_routes(create_app().routes))
    using_db = {
        route.path for route in routes for call, _ in _dependency_scopes(route.dependant) if call is get_db
    }
    late = {
        route.path
        for route in routes
        for call, scope in _dependency_scopes(route.dependant)
        if call is get_db and scope != "function"
    }
    assert "/api/v1/clients" in using_db and "/cases/{reference}" in using_db
    assert late == set()


@pytest.fixture
def pg_app(pg_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    """The app on a throw-away PostgreSQL database; yields an admin engine on that database."""
    name = f"accord_uow_{uuid.uuid4().hex[:8]}"
    admin = create_engine(pg_engine.url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = pg_engine.url.set(database=name).render_as_string(hide_password=False)
    upgrade(url)
    monkeypatch.setenv("ACCORD_DATABASE_URL", url)
    get_settings.cache_clear()
    reset_engines()
    own = create_engine(url, isolation_level="AUTOCOMMIT")
    yield own
    own.dispose()
    get_settings.cache_clear()
    reset_engines()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


REFUSE_AT_COMMIT = [
    """CREATE FUNCTION refuse_new_client() RETURNS trigger LANGUAGE plpgsql AS
       $$ BEGIN RAISE EXCEPTION 'refused at commit' USING ERRCODE = '23514'; END $$""",
    """CREATE CONSTRAINT TRIGGER refuse_new_client AFTER INSERT ON clients
       DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION refuse_new_client()""",
]


@pytest.mark.postgres
def test_failed_commit_is_an_error_not_a_2xx(pg_app: Engine) -> None:
    with session_scope() as db:
        setup.init_workspace(db)
    with pg_app.connect() as conn:
        for statement in REFUSE_AT_COMMIT:
            conn.execute(text(statement))
    with TestClient(create_app(), raise_server_exceptions=False) as http:
        authorize(http)
        response = http.post("/api/v1/clients", json=NEW_CLIENT)
        assert response.status_code >= 500
        names = [c["name"] for c in http.get("/api/v1/clients").json()]
    assert "Harbour Bakery" not in names
