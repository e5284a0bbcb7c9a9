"""The database going away mid-service: a clear 503 JSON, and the next request after it returns works."""

from __future__ import annotations

import contextlib
import socket
import threading
import uuid
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, text

from accord import setup
from accord.app import create_app
from accord.config import get_settings
from accord.db import reset_engines, session_scope
from accord.migrate import upgrade
from tests.security.helpers import api_auth


class Proxy:
    """A loopback TCP proxy to PostgreSQL that the test can cut and restore."""

    def __init__(self, port: int) -> None:
        self.target, self.open = port, True
        self.conns: list[socket.socket] = []
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            if not self.open:
                client.close()
                continue
            upstream = socket.create_connection(("127.0.0.1", self.target))
            self.conns += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)

    def cut(self) -> None:
        """Refuse new connections and drop the live ones (the database 'goes away')."""
        self.open = False
        for conn in self.conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        self.conns.clear()


@pytest.fixture
def proxied(pg_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[Proxy]:
    """ACCORD_DATABASE_URL pointing at a throw-away PostgreSQL database through the proxy."""
    name = f"accord_outage_{uuid.uuid4().hex[:8]}"
    admin = create_engine(pg_engine.url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = pg_engine.url.set(database=name)
    upgrade(url.render_as_string(hide_password=False))
    proxy = Proxy(url.port or 5432)
    monkeypatch.setenv("ACCORD_DATABASE_URL", url.set(port=proxy.port).render_as_string(hide_password=False))
    get_settings.cache_clear()
    reset_engines()
    yield proxy
    proxy.server.close()
    get_settings.cache_clear()
    reset_engines()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.mark.postgres
def test_database_outage_gives_503_and_recovers(proxied: Proxy) -> None:
    with session_scope() as db:
        setup.init_workspace(db)
    headers = api_auth("read")
    with TestClient(create_app()) as http:
        assert http.get("/api/v1/cases", headers=headers).status_code == 200
        proxied.cut()
        down = http.get("/api/v1/cases", headers=headers)
        assert down.status_code == 503 and down.json()["error"] == "unavailable"
        proxied.open = True
        assert http.get("/api/v1/cases", headers=headers).status_code == 200
