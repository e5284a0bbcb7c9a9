"""/healthz, /readyz, /metrics and the request id, against real databases and a real (or closed) Redis."""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from fastapi.testclient import TestClient

from accord import setup
from accord.app import create_app
from accord.config import get_settings
from accord.db import reset_engines, session_scope
from accord.notify.models import OutboxMessage
from accord.ops.logs import JsonFormatter
from tests.helpers import create_case, create_client, create_workspace
from tests.ops.conftest import free_port


@pytest.fixture
def app(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """The app on a migrated SQLite file with the default (SQLite) queue."""
    monkeypatch.delenv("ACCORD_QUEUE_URL", raising=False)
    with session_scope() as db:
        setup.init_workspace(db)
    with TestClient(create_app()) as client:
        yield client


def _reconfigure(monkeypatch: pytest.MonkeyPatch, **env: str) -> None:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    get_settings.cache_clear()
    reset_engines()


def test_healthz_answers_and_echoes_a_request_id(app: TestClient) -> None:
    response = app.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert response.headers["x-request-id"] == "abc-123"


def test_a_missing_or_unsafe_request_id_is_replaced(app: TestClient) -> None:
    made = app.get("/healthz").headers["x-request-id"]
    assert len(made) == 32
    hostile = app.get("/healthz", headers={"X-Request-ID": "<script>x</script>"}).headers["x-request-id"]
    assert "<" not in hostile and len(hostile) == 32


def test_readyz_is_ready_on_a_migrated_database(app: TestClient) -> None:
    body = app.get("/readyz").json()
    assert body["status"] == "ready"
    assert body["checks"]["migrations"]["ok"] and body["checks"]["queue"]["ok"]


def test_readyz_is_503_when_redis_is_on_a_closed_port(
    app: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    _reconfigure(monkeypatch, ACCORD_QUEUE_URL=f"redis://127.0.0.1:{free_port()}/0")
    response = app.get("/readyz")
    assert response.status_code == 503
    assert response.json()["reason"].startswith("queue: cannot reach Redis")


def test_readyz_is_ready_with_the_real_redis(app: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    try:
        redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=1).ping()
    except redis.RedisError:
        pytest.skip("Redis is not running on 127.0.0.1:6379 (scripts/system-deps.sh starts it)")
    _reconfigure(monkeypatch, ACCORD_QUEUE_URL="redis://127.0.0.1:6379/0")
    assert app.get("/readyz").status_code == 200


def test_readyz_is_503_when_the_database_is_unreachable(
    app: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"postgresql+psycopg://accord@127.0.0.1:{free_port()}/accord?connect_timeout=2"
    _reconfigure(monkeypatch, ACCORD_DATABASE_URL=url)
    response = app.get("/readyz")
    assert response.status_code == 503
    assert response.json()["reason"].startswith("database: cannot reach the database")
    assert app.get("/healthz").status_code == 200  # the process itself is alive


def test_readyz_is_503_before_the_migrations_ran(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ACCORD_QUEUE_URL", raising=False)
    with TestClient(create_app()) as client:  # nobody ran `accord init` on this data dir
        missing = client.get("/readyz")
        data_dir.mkdir(parents=True, exist_ok=True)
        sqlite3.connect(data_dir / "accord.db").close()  # a database file, but no tables
        response = client.get("/readyz")
    assert missing.status_code == 503 and missing.json()["reason"].startswith("database: no database file at")
    assert response.status_code == 503
    assert response.json()["reason"].startswith("migrations: the database has no schema yet")


def test_metrics_show_latency_by_route_template_and_the_backlogs(app: TestClient) -> None:
    with session_scope() as db:
        case = create_case(db, create_client(db, create_workspace(db)))
        db.add(OutboxMessage(key="metrics-test", recipient="a@b.example", case_id=case.id))
    app.get("/api/v1/cases/ACC-424242")  # 401 without a token, still timed under its template
    text = app.get("/metrics").text
    assert 'route="/api/v1/cases/{reference}"' in text
    assert "ACC-424242" not in text
    assert "accord_outbox_backlog 1.0" in text
    for gauge in (
        "accord_queue_depth",
        "accord_overdue_clocks",
        "accord_triage_backlog",
        "accord_mail_poll_errors",
    ):
        assert f"\n{gauge} " in text


def test_log_lines_are_json_with_the_request_id(app: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="accord.access"):
        app.get("/healthz", headers={"X-Request-ID": "trace-me-1"})
    record = next(r for r in caplog.records if r.name == "accord.access")
    line = json.loads(JsonFormatter().format(record))
    assert line["route"] == "/healthz" and line["status"] == 200 and line["message"] == "GET /healthz 200"
    assert line["request_id"] == "trace-me-1" and line["level"] == "info"
