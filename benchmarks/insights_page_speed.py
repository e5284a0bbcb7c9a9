"""Time the insights page and its neighbours on the demo data (target: the page under 300 ms); prints
median and worst of RUNS requests after one warm-up (P24)."""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

TARGET_MS = 300.0
RUNS = 15


def _prepare(data_dir: Path) -> tuple[str, str]:
    os.environ["ACCORD_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("ACCORD_RATE_LIMIT", "false")
    from accord import demo, setup
    from accord.db import session_scope

    with session_scope() as db:
        setup.init_workspace(db)
        demo.load_demo(db)
        return demo.reset_demo_login(db)


def _log_in(client: Any, email: str, password: str) -> None:
    if client.get("/login").status_code == 404:
        return
    token = client.cookies.get("csrftoken")
    client.post("/login", data={"email": email, "password": password}, headers={"x-csrftoken": token or ""})


PAGES = [
    ("insights, last 90 days", "/insights"),
    ("insights, all of 2026", "/insights?from=2026-01-01&to=2026-12-31"),
    ("insights, by client", "/insights?from=2026-01-01&to=2026-12-31&by=client"),
    ("insights, filtered", "/insights?from=2026-01-01&to=2026-12-31&category=quality&severity=3"),
    ("cases behind a number", "/insights/cases?from=2026-01-01&to=2026-12-31&figure=opened"),
    ("monthly review page", "/reports/2026-11"),
    ("monthly review PDF", "/reports/2026-11.pdf"),
]


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="accord-insights-speed-") as tmp:
        email, password = _prepare(Path(tmp) / "data")
        from fastapi.testclient import TestClient

        from accord.app import create_app

        slow = 0
        with TestClient(create_app()) as client:
            _log_in(client, email, password)
            print(f"{'page':<28}{'median ms':>10}{'worst ms':>10}")
            for name, url in PAGES:
                client.get(url)
                times = []
                for _ in range(RUNS):
                    start = time.perf_counter()
                    response = client.get(url)
                    times.append((time.perf_counter() - start) * 1000)
                    assert response.status_code == 200 and response.url.path != "/login", (
                        url,
                        response.status_code,
                    )
                median = statistics.median(times)
                is_page = url == "/insights" or url.startswith("/insights?")
                slow += is_page and median > TARGET_MS
                print(f"{name:<28}{median:>10.1f}{max(times):>10.1f}")
        print(f"target: the insights page under {TARGET_MS:.0f} ms (median); {slow} variant(s) over")
        return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
