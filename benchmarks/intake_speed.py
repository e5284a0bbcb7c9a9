"""Intake throughput: messages per second importing an mbox, SQLite and PostgreSQL, with and without triage.

Builds a seeded mbox of realistic mail (new complaints from 200 senders of 40 clients, replies that
thread by In-Reply-To, a share of auto-replies and thank-yous), then imports it with the same code as
`accord intake mbox` (one transaction per message, idempotent) into a fresh database. "With triage"
runs the triage sweep after every 100 imported messages, as the worker would.
Run: .venv/bin/python benchmarks/intake_speed.py [--count 10000] [--skip-postgres]
"""

from __future__ import annotations

import argparse
import mailbox
import os
import random
import tempfile
import time
import uuid
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

from sqlalchemy import create_engine, text

from accord import setup
from accord.clients import service as clients
from accord.config import get_settings
from accord.db import reset_engines, session_scope
from accord.jobs.mail import import_emails
from accord.jobs.triage_sweep import run_triage_sweep
from accord.users import repository as user_lookup

COMPLAINTS = [
    "We were charged twice for the October retainer. Please refund the second charge.",
    "The booking page has been down since this morning and we are losing appointments.",
    "Your team published the posts without our sign-off again. This is the third time.",
    "The brochure proofs were due on Friday and we still have nothing. We have a print slot on Monday.",
    "If this is not fixed by Friday we will cancel the contract and tell our partners why.",
]
REPLIES = [
    "Thanks, but the refund has still not arrived. When will it?",
    "Thanks!",
    "cheers",
    "That did not fix it. The page is down again.",
]


def _mail(rng: random.Random, n: int, sent: list[tuple[str, str, str]]) -> EmailMessage:
    msg = EmailMessage()
    msg["Date"] = "Thu, 03 Dec 2026 09:00:00 +0000"
    msg["Message-ID"] = f"<bench-{n}-{uuid.uuid4().hex[:8]}@client{n % 40}.example>"
    roll = rng.random()
    if sent and roll < 0.35:  # a reply to an earlier mail of the same sender
        sender, subject, parent = rng.choice(sent)
        msg["From"], msg["Subject"], msg["In-Reply-To"], msg["References"] = (
            sender,
            f"Re: {subject}",
            parent,
            parent,
        )
        body = rng.choice(REPLIES)
        if roll < 0.05:
            msg["Auto-Submitted"], body = "auto-replied", "I am out of the office until Monday."
    else:
        sender = f"person{rng.randrange(200)}@client{rng.randrange(40)}.example"
        msg["From"], msg["Subject"] = (
            sender,
            f"Problem {n}: {rng.choice(['invoice', 'outage', 'delay', 'posts'])}",
        )
        body = " ".join(rng.choice(COMPLAINTS) for _ in range(rng.randint(1, 4)))
        sent.append((sender, str(msg["Subject"]), str(msg["Message-ID"])))
    msg["To"] = "support@desk.example"
    msg.set_content(body)
    return msg


def build_mbox(path: Path, count: int) -> None:
    """A seeded mbox of `count` messages."""
    rng, sent = random.Random(17), []  # type: ignore[var-annotated]
    box = mailbox.mbox(str(path))
    box.lock()
    for n in range(count):
        box.add(_mail(rng, n, sent))
    box.flush()
    box.unlock()
    box.close()


def _messages(path: Path) -> Iterator[tuple[str, bytes]]:
    box = mailbox.mbox(str(path), create=False)
    for index, key in enumerate(box.iterkeys()):
        yield f"message {index}", box.get_bytes(key)


def _prepare(url: str | None, data_dir: Path) -> int:
    """Point Accord at a fresh database (settings and engines are process-wide) and create the clients."""
    os.environ["ACCORD_DATA_DIR"] = str(data_dir)
    if url:
        os.environ["ACCORD_DATABASE_URL"] = url
    else:
        os.environ.pop("ACCORD_DATABASE_URL", None)
    get_settings.cache_clear()
    reset_engines()
    with session_scope() as db:
        setup.init_workspace(db)
        workspace = user_lookup.workspace_by_slug(db, get_settings().workspace)
        assert workspace is not None
        for i in range(40):
            clients.add_client(
                db,
                actor=None,
                workspace_id=workspace.id,
                name=f"Client {i}",
                email_domains=[f"client{i}.example"],
            )
        return workspace.id


def run(label: str, url: str | None, path: Path, *, triage: bool) -> None:
    """Import the mbox once into a fresh database and print messages per second."""
    with tempfile.TemporaryDirectory() as tmp:
        workspace_id = _prepare(url, Path(tmp))
        done = {"n": 0}

        def every_hundred() -> None:
            done["n"] += 1
            if triage and done["n"] % 100 == 0:
                run_triage_sweep(limit=100)  # the worker's sweep: compute outside transactions

        started = time.perf_counter()
        result = import_emails(workspace_id=workspace_id, raws=_messages(path), progress=every_hundred)
        if triage:
            while run_triage_sweep(limit=100).triaged:
                pass
        took = time.perf_counter() - started
    total = result.stored + result.duplicates
    print(
        f"{label:<28} {total:>6} messages in {took:7.1f} s = {total / took:7.1f} msg/s"
        f"  (stored {result.stored}, failed {len(result.failed)})"
    )


def _pg_url() -> str:
    admin = create_engine(
        "postgresql+psycopg://postgres@127.0.0.1:5432/postgres", isolation_level="AUTOCOMMIT"
    )
    name = f"accord_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"


def main() -> None:
    """Build the mbox, then time every combination."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("ACCORD_ENV", "test")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.mbox"
        build_mbox(path, args.count)
        print(f"mbox: {args.count} messages, {path.stat().st_size / 1e6:.1f} MB")
        run("SQLite, no triage", None, path, triage=False)
        run("SQLite, with triage", None, path, triage=True)
        if not args.skip_postgres:
            run("PostgreSQL, no triage", _pg_url(), path, triage=False)
            run("PostgreSQL, with triage", _pg_url(), path, triage=True)


if __name__ == "__main__":
    main()
