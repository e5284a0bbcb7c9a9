"""A demo workspace served by the real app: TestClient for page tests, uvicorn for the browser."""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from fastapi.testclient import TestClient

from accord.app import create_app
from accord.config import get_settings
from accord.db import reset_engines, session_scope

HOSTILE = 'Fix it now <script>alert("owned")</script> or <b>else</b> <img src=x onerror="alert(2)">'


@dataclass(frozen=True)
class Demo:
    """Where the demo lives and how to log in."""

    data_dir: Path
    email: str
    password: str
    hostile_ref: str


def _use(data_dir: Path) -> None:
    os.environ["ACCORD_DATA_DIR"] = str(data_dir)
    os.environ.pop("ACCORD_DATABASE_URL", None)
    get_settings.cache_clear()
    reset_engines()


def _load(data_dir: Path) -> Demo:
    from accord import demo as demo_data
    from accord import setup
    from accord.clients import service as clients
    from accord.intake import service as intake
    from accord.users import repository as user_lookup

    _use(data_dir)
    with session_scope() as db:
        setup.init_workspace(db)
        demo_data.load_demo(db)
        email, password = demo_data.reset_demo_login(db)
        workspace = user_lookup.workspace_by_slug(db, get_settings().workspace)
        assert workspace is not None
        client = clients.get_client(db, actor=None, workspace_id=workspace.id, key="Copperline Coffee")
        case, _ = intake.open_case_from_message(
            db, actor=None, client=client, title="Angry <i>markup</i> email", body=HOSTILE, channel="email"
        )
        ref = case.reference
    return Demo(data_dir, email, password, ref)


@pytest.fixture(scope="session")
def web_demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    """One demo workspace for all web tests (each test uses its own case so none interfere)."""
    saved = os.environ.get("ACCORD_DATA_DIR")
    demo = _load(tmp_path_factory.mktemp("webdemo") / "data")
    yield demo
    if saved is None:
        os.environ.pop("ACCORD_DATA_DIR", None)
    else:
        os.environ["ACCORD_DATA_DIR"] = saved
    get_settings.cache_clear()
    reset_engines()


@pytest.fixture
def demo(web_demo: Demo) -> Demo:
    """The session demo, made current again (other tests may have pointed settings elsewhere)."""
    if os.environ.get("ACCORD_DATA_DIR") != str(web_demo.data_dir):
        _use(web_demo.data_dir)
    return web_demo


def form_token(html: str, action: str) -> str:
    """The hidden CSRF token inside the page's form that posts to `action` (forms work without JS)."""
    form = re.search(rf'<form[^>]*action="{re.escape(action)}"[^>]*>(.*?)</form>', html, re.S)
    assert form is not None, f"no form posting to {action}"
    token = re.search(r'<input type="hidden" name="csrftoken" value="([^"]+)">', form.group(1))
    assert token is not None, f"the form posting to {action} has no csrftoken field"
    return token.group(1)


def csrf_headers(client: TestClient) -> dict[str, str]:
    """The double-submit CSRF header starlette-csrf expects, when the cookie is set."""
    token = client.cookies.get("csrftoken")
    return {"x-csrftoken": token} if token else {}


def log_in(client: TestClient, demo: Demo) -> None:
    """Sign in through the login page when the security layer provides one."""
    if client.get("/login").status_code == 404:
        return
    client.post(
        "/login",
        data={"email": demo.email, "password": demo.password},
        headers=csrf_headers(client),
        follow_redirects=False,
    )


@pytest.fixture
def web(demo: Demo) -> Iterator[TestClient]:
    """A signed-in browser-less client of the real app."""
    with TestClient(create_app()) as client:
        log_in(client, demo)
        yield client


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def live_server(web_demo: Demo) -> Iterator[str]:
    """The real app under uvicorn in a background thread on a free loopback port."""
    _use(web_demo.data_dir)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
