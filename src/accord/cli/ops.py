"""`accord doctor` and `accord serve [--workers N]` (issue 23 items 4 and 5)."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from typing import Any

import typer
from rich.markup import escape

from accord.cli.context import console
from accord.ops import doctor as diagnosis
from accord.ops.logs import JSON_LOGS_ENV, configure_logging


def doctor() -> None:
    """Check settings, database, migrations, queue, SMTP and IMAP; say what is wrong and how to fix it."""
    findings = diagnosis.diagnose()
    for f in findings:
        mark = "[green]ok[/green]  " if f.ok else "[red]FAIL[/red]"
        console.print(f"{mark} {escape(f.name)}: {escape(f.detail)}", soft_wrap=True)
        if not f.ok and f.fix:
            console.print(f"       fix: {escape(f.fix)}", soft_wrap=True)
    failed = [f for f in findings if not f.ok]
    if failed:
        console.print(f"{len(failed)} problem{'s' if len(failed) > 1 else ''} found.")
        raise typer.Exit(1)
    console.print("Everything Accord needs is in order.")


def _serve_one(options: dict[str, Any]) -> None:
    """One process: the queue consumer and the mail pump run in its threads, as before issue 23."""
    import uvicorn  # the web server: only `serve` needs it loaded

    from accord.jobs.worker import embedded_consumer  # import-time side effect: the queue opens its storage

    with embedded_consumer():
        uvicorn.run("accord.app:create_app", **options)


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
    workers: int = typer.Option(
        1,
        "--workers",
        min=1,
        max=64,
        help="Web processes. 1: the queue worker runs inside; more: run `accord worker`.",
    ),
) -> None:
    """Serve the web UI and the API. With one process the queue worker and mail pump run inside it; with
    --workers N > 1 they do not (N processes would each sweep): start `accord worker` beside it."""
    import uvicorn  # the web server: only `serve` needs it loaded

    configure_logging()
    os.environ[JSON_LOGS_ENV] = "1"  # web processes started by uvicorn configure their own logging from it
    options: dict[str, Any] = {
        "host": host,
        "port": port,
        "log_level": "warning",
        "proxy_headers": False,
        "factory": True,
    }
    # X-Forwarded-For is read by the app, and only from ACCORD_TRUSTED_PROXIES (proxy_headers off).
    if workers == 1:
        console.print(f"Accord is serving on http://{host}:{port}")
        _serve_one(options)
        return
    metrics_dir = tempfile.mkdtemp(prefix="accord-metrics-")
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = metrics_dir  # the processes share their latency histograms
    console.print(
        f"Accord is serving on http://{host}:{port} with {workers} processes; "
        "jobs and mail run in `accord worker` (start at least one)."
    )
    try:
        uvicorn.run("accord.app:create_app", workers=workers, **options)
    finally:
        shutil.rmtree(metrics_dir, ignore_errors=True)
        sys.stdout.flush()


def worker(
    workers: int = typer.Option(1, "--workers", min=1, help="Worker threads in this process."),
    periodic: bool = typer.Option(
        True, "--periodic/--no-periodic", help="Also schedule the minute sweep (off: queued jobs only)."
    ),
) -> None:
    """Run a queue consumer and the mail pump (as many as you like, on any machine sharing the queue)."""
    from accord.jobs.worker import run_worker  # import-time side effect: the queue opens its storage

    configure_logging()
    run_worker(workers, periodic=periodic)
