"""Load `accord serve` over HTTP and print req/s, p50 and p99 per operation (issue 23 item 7).

Starts `accord serve --workers W` on a free port against the database seed.py filled (same --data-dir
and --database-url), signs in through the login form, makes an API token with `accord token create`,
then runs each operation for --seconds with --connections threads, one after the other:
  create      POST /api/v1/cases (a new case with a client message)
  queue page  GET /                 (the staff queue, signed in)
  case page   GET /cases/ACC-n      (random existing case)
  API list    GET /api/v1/cases
  search      GET /api/v1/search?q=<word>
Prints memory (RSS) per server process at the end. With --workers 1 the embedded queue worker runs in
the web process, as shipped; with more, one `accord worker` process runs beside them (counted too).

Run: .venv/bin/python benchmarks/load.py --data-dir /tmp/accord-bench --workers 1 --seconds 10
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx

WORDS = ("invoice", "refund", "website", "printer", "lawyer", "backup", "deadline", "contract")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _env(args: argparse.Namespace) -> dict[str, str]:
    env = {**os.environ, "ACCORD_DATA_DIR": str(args.data_dir), "ACCORD_RATE_LIMIT": "false"}
    if args.database_url:
        env["ACCORD_DATABASE_URL"] = args.database_url
    else:
        env.pop("ACCORD_DATABASE_URL", None)
    return env


def _accord() -> list[str]:
    return [sys.executable, "-m", "accord"]


def _start(args: argparse.Namespace, port: int) -> subprocess.Popen[bytes]:
    command = [*_accord(), "serve", "--workers", str(args.workers), "--port", str(port)]
    if args.workers > 1:  # the queue worker runs beside the web processes, as the README says
        command = ["sh", "-c", f"{' '.join(_accord())} worker & exec {' '.join(command)}"]
    log = (args.data_dir / f"serve-{args.workers}.log").open("wb")
    proc = subprocess.Popen(command, env=_env(args), stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.5)
    proc.kill()
    raise SystemExit("accord serve did not start; see " + log.name)


def _log_in(browser: httpx.Client, email: str, password: str) -> None:
    """Sign in through the form; retried while a fresh server's first sweep holds SQLite's write lock."""
    for _ in range(10):
        browser.get("/login")
        form = {"email": email, "password": password, "csrftoken": browser.cookies.get("csrftoken") or ""}
        status = browser.post("/login", data=form).status_code
        if status == 303:
            return
        print(f"login answered {status}; retrying in 5 s", flush=True)
        time.sleep(5)
    raise SystemExit("could not sign in")


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _processes(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children")
    found = [pid]
    for child in children.read_text().split() if children.exists() else []:
        found.extend(_processes(int(child)))
    return found


def _measure(name: str, seconds: float, connections: int, call: Callable[[httpx.Client], int], make) -> None:
    times: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def run() -> None:
        client = make()
        while time.monotonic() < stop:
            started = time.perf_counter()
            try:
                status = call(client)
            except httpx.HTTPError:
                status = 0
            took = time.perf_counter() - started
            with lock:
                times.append(took)
                if status >= 400 or status == 0:
                    errors[0] += 1

    threads = [threading.Thread(target=run) for _ in range(connections)]
    begun = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - begun
    if not times:
        print(f"{name:<12} no requests")
        return
    cuts = statistics.quantiles(times, n=100) if len(times) > 1 else [times[0]] * 99
    print(
        f"{name:<12}{len(times) / wall:>9.1f}{statistics.median(times) * 1000:>9.1f}"
        f"{cuts[98] * 1000:>9.1f}{len(times):>8}{errors[0]:>7}",
        flush=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data-dir", type=Path, default=Path("/tmp/accord-bench"))
    parser.add_argument("--database-url", default="")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    email, password = (args.data_dir / "login.txt").read_text().split()
    token = subprocess.run(
        [*_accord(), "token", "create", "--scope", "write", "--name", "load"],
        env=_env(args), capture_output=True, text=True, check=True,
    ).stdout.splitlines()[0].strip()  # fmt: skip
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    proc = _start(args, port)
    try:
        browser = httpx.Client(base_url=base, timeout=30)
        _log_in(browser, email, password)
        cookies = dict(browser.cookies)
        api_headers = {"Authorization": f"Bearer {token}"}
        top = int(
            browser.get("/api/v1/cases", headers=api_headers, params={"limit": 1}).json()[0]["reference"][4:]
        )
        clients = [c["id"] for c in browser.get("/api/v1/clients", headers=api_headers).json()][:200]

        def web() -> httpx.Client:
            return httpx.Client(base_url=base, timeout=30, cookies=cookies)

        def api() -> httpx.Client:
            return httpx.Client(base_url=base, timeout=30, headers=api_headers)

        rng = random.Random(7)
        print(
            f"workers={args.workers} connections={args.connections} seconds={args.seconds} newest=ACC-{top}"
        )
        print(f"{'operation':<12}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'count':>8}{'errors':>7}")
        body = {"title": "Load test: charged twice", "text": "You charged us twice for the invoice."}
        _measure(
            "create",
            args.seconds,
            args.connections,
            lambda c: c.post("/api/v1/cases", json={**body, "client": str(rng.choice(clients))}).status_code,
            api,
        )
        _measure("queue page", args.seconds, args.connections, lambda c: c.get("/").status_code, web)
        _measure(
            "case page",
            args.seconds,
            args.connections,
            lambda c: c.get(f"/cases/ACC-{rng.randint(1000, top)}").status_code,
            web,
        )
        _measure(
            "API list", args.seconds, args.connections, lambda c: c.get("/api/v1/cases").status_code, api
        )
        _measure(
            "search",
            args.seconds,
            args.connections,
            lambda c: c.get("/api/v1/search", params={"q": rng.choice(WORDS)}).status_code,
            api,
        )
        rss = {pid: _rss_mb(pid) for pid in _processes(proc.pid)}
        print(
            "memory: "
            + ", ".join(f"{mb:.0f} MB" for mb in rss.values())
            + f" (total {sum(rss.values()):.0f} MB)"
        )
    finally:
        tree = _processes(proc.pid)
        for pid in reversed(tree):  # the worker beside the web processes too
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
        proc.wait(timeout=60)
    return 0


if __name__ == "__main__":
    sys.exit(main())
