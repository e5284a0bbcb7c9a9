"""The README's team setup on one machine: `accord serve --workers 2` on a real SQLite file, pages served,
JSON logs with the request id, and a clean stop (issue 23 item 4)."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.ops.conftest import free_port

OWNER = "olivia@desk.example"


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _web_processes(pid: int) -> list[int]:
    """The server's web processes, without multiprocessing's resource tracker: the tracker is a helper
    that ends on its own once the server has closed its pipe, a moment after the server exits."""
    return [child for child in _children(pid) if "resource_tracker" not in _cmdline(child)]


def _outlived(pids: list[int], grace_s: float) -> dict[int, str]:
    """The processes still alive (not gone, not a zombie) after waiting up to grace_s for them to end."""
    deadline = time.monotonic() + grace_s
    while True:
        left = {pid: _state(pid) for pid in pids if _state(pid) not in ("", "Z")}
        if not left or time.monotonic() >= deadline:
            return left
        time.sleep(0.1)


def _state(pid: int) -> str:
    """The process's state letter ('' when gone, 'Z' for a zombie not yet reaped)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    return stat.rsplit(")", 1)[1].split()[0]


def _wait_until_up(base: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"accord serve exited: {log.read_text()}")
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.5)
    pytest.fail(f"accord serve did not answer within 90 s: {log.read_text()}")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, str, subprocess.Popen[bytes], Path]]:
    """`accord init`, then `accord serve --workers 2` on a free port; stopped with SIGTERM afterwards."""
    env = {**os.environ, "ACCORD_DATA_DIR": str(tmp_path / "data"), "ACCORD_ENV": "test"}
    for key in ("ACCORD_DATABASE_URL", "ACCORD_QUEUE_URL"):
        env.pop(key, None)
    init = subprocess.run(
        [sys.executable, "-m", "accord", "init", "--owner-email", OWNER],
        capture_output=True, text=True, env=env, timeout=120, check=True,
    )  # fmt: skip
    found = re.search(r"One-time password: (\S+)", init.stdout)
    assert found, init.stdout
    port, log = free_port(), tmp_path / "serve.log"
    with log.open("wb") as sink:
        proc = subprocess.Popen(
            [sys.executable, "-m", "accord", "serve", "--workers", "2", "--port", str(port)],
            stdout=sink, stderr=subprocess.STDOUT, env=env,
        )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, proc, log)
        yield base, found.group(1), proc, log
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=30)


def test_two_worker_processes_serve_pages_and_stop_cleanly(
    served: tuple[str, str, subprocess.Popen[bytes], Path],
) -> None:
    base, password, proc, log = served
    children = _children(proc.pid)
    workers = _web_processes(proc.pid)
    assert len(workers) >= 2, f"expected 2 web processes under {proc.pid}, found {workers}"
    with httpx.Client(base_url=base, timeout=10) as browser:
        assert browser.get("/readyz").json()["status"] == "ready"
        browser.get("/login")
        form = {"email": OWNER, "password": password, "csrftoken": browser.cookies.get("csrftoken") or ""}
        assert browser.post("/login", data=form).status_code == 303
        queue = browser.get("/", headers={"X-Request-ID": "team-setup-1"})
        assert queue.status_code == 200 and "Queue" in queue.text
        assert queue.headers["x-request-id"] == "team-setup-1"
        assert browser.get("/search", params={"q": "invoice"}).status_code == 200
        assert 'route="/search"' in browser.get("/metrics").text
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == 0
    left = _outlived(workers, grace_s=0)
    assert not left, f"web processes outlived the server: {left}"
    lingering = _outlived(children, grace_s=10)
    assert not lingering, f"processes it started outlived it by 10 s: {lingering}"
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    mine = [line for line in lines if line.get("request_id") == "team-setup-1"]
    assert mine and mine[0]["route"] == "/" and mine[0]["status"] == 200
    assert "with 2 processes" in log.read_text()
