"""How long the minute sweep takes when nothing is due, and how long it holds a write lock (issue 23).

Seeds N open cases (default 100,000): half with deadlines that passed a day ago and were already
escalated (the state that made the old sweep re-read every clock every minute), half due later.
Then it times the whole job (`accord.jobs.tasks.run_sweep`: clocks, reminders, follow-ups, outbox,
offer expiry, triage) with nothing due (target: under 100 ms), and once more with --due clocks
coming due, to show the write-lock hold stays short while real work is done in batches.

    .venv/bin/python benchmarks/sweep_speed.py                 # SQLite, 100,000 cases
    .venv/bin/python benchmarks/sweep_speed.py --pg            # a throw-away PostgreSQL database
    .venv/bin/python benchmarks/sweep_speed.py --cases 1000000 --pg
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
TARGET_MS = 100.0
CHUNK = 20_000


@contextmanager
def _database(pg: bool) -> Iterator[None]:
    """Point Accord at a fresh SQLite file or a fresh PostgreSQL database, dropped afterwards."""
    if not pg:
        with tempfile.TemporaryDirectory() as tmp:
            os.environ["ACCORD_DATA_DIR"] = str(Path(tmp) / "data")
            os.environ.pop("ACCORD_DATABASE_URL", None)
            yield
        return
    from sqlalchemy import create_engine, text

    name = f"accord_sweep_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    os.environ["ACCORD_DATABASE_URL"] = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    try:
        yield
    finally:
        from accord.db import get_engine

        get_engine().dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _seed(total: int, at: datetime) -> None:
    """`total` open cases: half past due and already handled, half due in the future (bulk INSERTs)."""
    count = total // 2
    from sqlalchemy import insert, select

    from accord import setup
    from accord.cadence.models import CaseClock
    from accord.cases.models import Case
    from accord.clients import service as clients
    from accord.config import get_settings
    from accord.db import session_scope
    from accord.users import service as users

    with session_scope() as db:
        setup.init_workspace(db, owner_email="olive@example.com")
    with session_scope() as db:
        workspace = users.find_workspace(db, slug=get_settings().workspace)
        assert workspace is not None
        owner = users.first_owner(db, workspace_id=workspace.id)
        client_ids = [
            clients.add_client(db, actor=None, workspace_id=workspace.id, name=f"Client {i}").id
            for i in range(100)
        ]
        wid, owner_id = workspace.id, owner.id if owner else None
    statuses = ("new", "acknowledged", "preparing", "in_conversation", "escalated")
    for start in range(0, total, CHUNK):
        stop = min(start + CHUNK, total)
        with session_scope() as db:
            rows = []
            for n in range(start, stop):
                due = at - timedelta(days=1, seconds=n) if n < count else at + timedelta(days=2, seconds=n)
                rows.append(
                    {
                        "workspace_id": wid,
                        "number": 1001 + n,
                        "client_id": client_ids[n % len(client_ids)],
                        "title": f"Seeded case {n}",
                        "status": statuses[n % len(statuses)],
                        "owner_id": owner_id if n % 3 else None,
                        "created_at": due - timedelta(days=3),
                        "updated_at": due - timedelta(days=3),
                        "next_due_at": due,
                        "next_due": "update",
                        "clock_stale": False,
                    }
                )
            db.execute(insert(Case), rows)
            ids = db.scalars(
                select(Case.id).where(Case.number >= 1001 + start, Case.number < 1001 + stop)
            ).all()
            clocks = []
            for case_id, n in zip(sorted(ids), range(start, stop), strict=True):
                past = n < count
                due = at - timedelta(days=1, seconds=n) if past else at + timedelta(days=2, seconds=n)
                clocks.append(
                    {
                        "case_id": case_id,
                        "workspace_id": wid,
                        "update_due_at": due,
                        "resolve_due_at": due + timedelta(days=3),
                        "refreshed_at": due - timedelta(days=3),
                        "next_check_at": None if past else due - timedelta(hours=4),
                    }
                )
            db.execute(insert(CaseClock), clocks)
        print(f"  seeded {stop:,} of {total:,} cases", end="\r", flush=True)
    print()


class LockWatch:
    """The longest time from a transaction's first write to its commit (SQLite's write-lock hold)."""

    def __init__(self) -> None:
        self.started: dict[int, float] = {}
        self.longest = 0.0
        self.writes = 0

    def before(self, conn: Any, _cursor: Any, sql: str, *_args: Any) -> None:
        """A write opens the hold (SQLite takes the lock at the first write of a transaction)."""
        if sql.lstrip().split(" ", 1)[0].upper() in ("INSERT", "UPDATE", "DELETE"):
            self.writes += 1
            self.started.setdefault(id(conn.connection), time.perf_counter())

    def ended(self, conn: Any) -> None:
        """Commit or rollback ends it."""
        began = self.started.pop(id(conn.connection), None)
        if began is not None:
            self.longest = max(self.longest, time.perf_counter() - began)


def _watch() -> LockWatch:
    from sqlalchemy import event

    from accord.db import get_engine

    watch = LockWatch()
    engine = get_engine()
    event.listen(engine, "before_cursor_execute", watch.before)
    event.listen(engine, "commit", watch.ended)
    event.listen(engine, "rollback", watch.ended)
    return watch


def _make_due(count: int, at: datetime) -> None:
    """Make `count` future deadlines a minute overdue: the next sweep escalates each one, once."""
    from sqlalchemy import select, update

    from accord.cadence.models import CaseClock
    from accord.db import session_scope

    with session_scope() as db:
        ids = db.scalars(
            select(CaseClock.id)
            .where(CaseClock.next_check_at.is_not(None))
            .order_by(CaseClock.id)
            .limit(count)
        ).all()
        db.execute(
            update(CaseClock)
            .where(CaseClock.id.in_(ids))
            .values(next_check_at=at - timedelta(minutes=1), update_due_at=at - timedelta(minutes=1))
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--cases", type=int, default=100_000, help="open cases: half handled and past due, half due later"
    )
    parser.add_argument("--pg", action="store_true", help="use a throw-away PostgreSQL database")
    parser.add_argument("--due", type=int, default=200, help="clocks that come due for the busy sweep")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    os.environ.setdefault("ACCORD_RATE_LIMIT", "false")
    at = datetime.now(UTC)
    with _database(args.pg):
        from accord.jobs.tasks import run_sweep

        print(f"database: {'PostgreSQL' if args.pg else 'SQLite'}; cases: {args.cases:,}")
        started = time.perf_counter()
        _seed(args.cases, at)
        print(f"seeding took {time.perf_counter() - started:.1f} s")
        run_sweep()  # the workspace's own new rows (if any) are handled once
        watch = _watch()
        times = []
        for _ in range(args.runs):
            began = time.perf_counter()
            summary = run_sweep()
            times.append((time.perf_counter() - began) * 1000)
        verdict = "OK" if statistics.median(times) < TARGET_MS else "SLOW"
        print(
            f"sweep with nothing due: median {statistics.median(times):.1f} ms, worst {max(times):.1f} ms "
            f"over {args.runs} runs (target < {TARGET_MS:.0f} ms: {verdict}); {summary}"
        )
        print(f"  each run (ms): {[round(t, 1) for t in times]}")
        hold = watch.longest * 1000
        print(f"  writes during quiet sweeps: {watch.writes}; longest write-lock hold: {hold:.1f} ms")
        _make_due(args.due, at)
        watch.longest, watch.writes = 0.0, 0
        began = time.perf_counter()
        summary = run_sweep()
        busy = (time.perf_counter() - began) * 1000
        print(f"sweep with {args.due:,} clocks due: {busy:.0f} ms; {summary}")
        print(f"  writes: {watch.writes}; longest write-lock hold: {watch.longest * 1000:.1f} ms")


if __name__ == "__main__":
    main()
