"""What the page-speed scripts share: the demo workspace in a throwaway data dir, a signed-in test
client and the timing loop, so web_speed.py and insights_page_speed.py measure pages the same way.

Imported as `_timing` by scripts run from this folder (`python benchmarks/web_speed.py` puts it first on
sys.path); not a test and not part of the package.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


def _prepare(data_dir: Path, *, triage: bool) -> tuple[str, str]:
    os.environ["ACCORD_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("ACCORD_RATE_LIMIT", "false")
    from accord import demo, setup
    from accord.db import session_scope
    from accord.triage import service as triage_service

    with session_scope() as db:
        setup.init_workspace(db)
        demo.load_demo(db)
        if triage:
            triage_service.triage_pending(db)  # so case pages carry highlighted evidence
        return demo.reset_demo_login(db)


def _log_in(client: Any, email: str, password: str) -> None:
    """Sign in through the login page when the security layer serves one."""
    if client.get("/login").status_code == 404:
        return
    token = client.cookies.get("csrftoken")
    headers = {"x-csrftoken": token} if token else {}
    client.post("/login", data={"email": email, "password": password}, headers=headers)


@contextmanager
def demo_client(prefix: str, *, triage: bool = False) -> Iterator[Any]:
    """A test client of the whole app, signed in on a fresh demo workspace that is deleted afterwards."""
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        email, password = _prepare(Path(tmp) / "data", triage=triage)
        from fastapi.testclient import TestClient

        from accord.app import create_app

        with TestClient(create_app()) as client:
            _log_in(client, email, password)
            yield client


def time_pages(
    client: Any,
    pages: list[tuple[str, str]],
    *,
    runs: int,
    width: int,
    expected: Callable[[str], int] = lambda name: 200,
) -> list[tuple[str, str, float]]:
    """Median ms of `runs` requests per page after one warm-up (templates, playbook parse); prints the
    median and the worst of each and returns (name, url, median)."""
    print(f"{'page':<{width}}{'median ms':>10}{'worst ms':>10}")
    results = []
    for name, url in pages:
        client.get(url)
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == expected(name), (url, response.status_code)
            assert response.url.path != "/login", "not signed in"
        median = statistics.median(times)
        print(f"{name:<{width}}{median:>10.1f}{max(times):>10.1f}")
        results.append((name, url, median))
    return results
