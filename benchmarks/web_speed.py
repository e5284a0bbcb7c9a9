"""Time each web page on the demo data (target: under 150 ms each); prints median and worst."""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

TARGET_MS = 150.0
RUNS = 15


def _prepare(data_dir: Path) -> tuple[str, str]:
    os.environ["ACCORD_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("ACCORD_RATE_LIMIT", "false")
    from accord import demo, setup
    from accord.db import session_scope
    from accord.triage import service as triage

    with session_scope() as db:
        setup.init_workspace(db)
        demo.load_demo(db)
        triage.triage_pending(db)  # so case pages carry highlighted evidence
        return demo.reset_demo_login(db)


def _log_in(client: Any, email: str, password: str) -> None:
    """Sign in through the login page when the security layer serves one."""
    if client.get("/login").status_code == 404:
        return
    token = client.cookies.get("csrftoken")
    headers = {"x-csrftoken": token} if token else {}
    client.post("/login", data={"email": email, "password": password}, headers=headers)


def _pages() -> list[tuple[str, str]]:
    return [
        ("queue", "/"),
        ("queue, filtered", "/?status=all&severity=3&q=a"),
        ("queue, page 2", "/?status=all&page=2"),
        ("case page", "/cases/ACC-1002"),
        ("case page (resolved)", "/cases/ACC-1016"),
        ("call mode", "/cases/ACC-1002/call"),
        ("clients", "/clients"),
        ("client page", "/clients/2"),
        ("playbook", "/playbook"),
        ("new case", "/cases/new"),
        ("new client", "/clients/new"),
        ("edit client", "/clients/2/edit"),
        ("client search", "/clients/search?client=co"),
        ("add a message", "/cases/ACC-1002/messages/new"),
        ("unmatched", "/unmatched"),
        ("api docs", "/api/docs"),
        ("not found (styled)", "/no/such/page"),
        ("team", "/team"),
        ("settings", "/settings"),
    ]


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="accord-webspeed-") as tmp:
        email, password = _prepare(Path(tmp) / "data")
        from fastapi.testclient import TestClient

        from accord.app import create_app

        slow = 0
        with TestClient(create_app()) as client:
            _log_in(client, email, password)
            print(f"{'page':<24}{'median ms':>10}{'worst ms':>10}")
            for name, url in _pages():
                client.get(url)  # warm caches (templates, playbook parse)
                times = []
                for _ in range(RUNS):
                    start = time.perf_counter()
                    response = client.get(url)
                    times.append((time.perf_counter() - start) * 1000)
                    expected = 404 if name.startswith("not found") else 200
                    assert response.status_code == expected, (url, response.status_code)
                    assert response.url.path != "/login", "not signed in"
                median = statistics.median(times)
                slow += median > TARGET_MS
                print(f"{name:<24}{median:>10.1f}{max(times):>10.1f}")
        print(f"target: median under {TARGET_MS:.0f} ms per page; {slow} page(s) over")
        return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
