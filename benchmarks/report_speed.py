"""How fast each insights figure is at scale (P24): generate N cases (default 1,000,000) with their
events, clocks' escalations, confirmations, offers and follow-ups by bulk inserts on SQLite and on
PostgreSQL (a throwaway database), then time every figure's query for a one-year period.

    .venv/bin/python benchmarks/report_speed.py --count 100000 [--only sqlite|postgres]

Target: every figure under 1 s on PostgreSQL at 1,000,000 cases. Prints seconds spent seeding, then
one line per figure with its median of RUNS runs in ms.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, insert, text
from sqlalchemy.orm import Session

from accord.cadence.models import Confirmation, FollowUp, Reminder
from accord.cases.models import DEFAULT_CATEGORIES, FAULTS, Case, CaseEvent
from accord.clients.models import Client
from accord.db import make_engine
from accord.insights import figures_service as service
from accord.insights import queries
from accord.insights.figures_service import Filters
from accord.intake.service import UNMATCHED_CLIENT
from accord.migrate import upgrade
from accord.offers.models import Offer
from accord.scratch import pg_database_url, throwaway_pg_database
from accord.users.models import User, Workspace

START = datetime(2024, 1, 1, tzinfo=UTC)
SPAN_DAYS = 3 * 365
PERIOD = Filters(start=date(2025, 6, 1), end=date(2026, 5, 31))
CHUNK = 20_000
RUNS = 3
CLIENTS = 2_000
TARGET_MS = 1000.0


def _chunks(rows: Iterator[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


def _case_rows(
    count: int, rng: random.Random, owners: list[int], clients: list[int]
) -> Iterator[dict[str, Any]]:
    """Cases spread over three years: a quarter still open, the rest resolved and mostly closed."""
    for n in range(count):
        created = START + timedelta(minutes=rng.randrange(SPAN_DAYS * 24 * 60))
        state = rng.random()
        acknowledged = created + timedelta(hours=rng.expovariate(1 / 6)) if state > 0.05 else None
        resolved = created + timedelta(hours=rng.expovariate(1 / 120)) if state > 0.25 else None
        status = "new" if acknowledged is None else "in_conversation"
        if resolved is not None:
            status = "closed" if state > 0.4 else "resolved"
        yield {
            "id": n + 1,
            "workspace_id": 1,
            "number": 1000 + n,
            "client_id": clients[n % len(clients)],
            "title": f"Generated case {n}",
            "status": status,
            "severity": rng.choice((1, 2, 2, 3, 3, 4)),
            "category": rng.choice(DEFAULT_CATEGORIES),
            "fault": rng.choice(FAULTS),
            "owner_id": rng.choice(owners),
            "handoff_count": rng.choice((0, 0, 0, 1, 2)),
            "created_at": created,
            "updated_at": created,
            "acknowledged_at": acknowledged,
            "resolved_at": resolved,
            "closed_at": resolved + timedelta(days=14) if status == "closed" and resolved else None,
            "root_cause": "Expectations unclear at onboarding." if status == "closed" and n % 7 == 0 else "",
            "what_we_change": "Write the turnaround into the contract."
            if status == "closed" and n % 7 == 0
            else "",
        }


def _related(cases: list[dict[str, Any]], rng: random.Random) -> dict[Any, list[dict[str, Any]]]:
    """Reopen events (5 %), escalations (10 %), confirmations (every resolved case), accepted offers
    (10 %) and answered follow-ups (30 % of closed cases) for one chunk of cases."""
    out: dict[Any, list[dict[str, Any]]] = {
        CaseEvent: [],
        Reminder: [],
        Confirmation: [],
        Offer: [],
        FollowUp: [],
    }
    for c in cases:
        cid, created = c["id"], c["created_at"]
        if rng.random() < 0.05:
            data = {"from": "resolved", "to": "reopened", "note": ""}
            out[CaseEvent].append({"case_id": cid, "kind": "status_changed", "at": created, "data": data})
        if rng.random() < 0.10:
            kind = rng.choice(("acknowledge", "update", "resolve"))
            out[Reminder].append({"key": f"{cid}:{kind}", "case_id": cid, "workspace_id": 1,
                                  "kind": kind, "level": "escalation", "due_at": created,
                                  "created_at": created})  # fmt: skip
        if c["resolved_at"] is not None:
            out[Confirmation].append({"case_id": cid, "nonce": f"c{cid}", "channel": "call",
                                      "used_at": c["resolved_at"], "answer": "yes"})  # fmt: skip
        if rng.random() < 0.10:
            out[Offer].append({"case_id": cid, "client_id": c["client_id"], "solution_id": "billing_credit",
                               "title": "Credit", "kind": "credit", "status": "accepted", "origin": "us",
                               "cost": rng.randrange(50, 500), "currency": "EUR", "created_at": created,
                               "responded_at": created + timedelta(hours=30)})  # fmt: skip
        if c["status"] == "closed" and rng.random() < 0.3:
            at = c["resolved_at"] + timedelta(days=14)
            out[FollowUp].append({"case_id": cid, "nonce": f"f{cid}", "scheduled_at": at, "sent_at": at,
                                  "answered_at": at, "rating": rng.randint(1, 5),
                                  "answer": "Fine." if cid % 3 else ""})  # fmt: skip
    return out


def seed(engine: Engine, count: int) -> float:
    """Bulk-insert the workspace and `count` cases with their related rows; returns seconds."""
    rng = random.Random(22)
    began = time.perf_counter()
    with engine.begin() as conn:
        conn.execute(
            insert(Workspace), [{"id": 1, "slug": "bench", "name": "Bench", "next_case_number": 1000 + count}]
        )
        agents = [{"id": i, "workspace_id": 1, "name": f"Agent {i}", "email": f"a{i}@bench.example",
                   "role": "agent", "password_hash": "x"} for i in range(1, 6)]  # fmt: skip
        conn.execute(insert(User), agents)
        names = [UNMATCHED_CLIENT] + [f"Client {i}" for i in range(1, CLIENTS)]
        client_rows = [{"id": i + 1, "workspace_id": 1, "name": n, "name_key": n.lower(),
                    "monthly_value": rng.randrange(200, 9000), "status": "ended" if i % 25 == 0 else "active"}
                   for i, n in enumerate(names)]  # fmt: skip
        conn.execute(insert(Client), client_rows)
    clients = list(range(1, CLIENTS + 1))
    for batch in _chunks(_case_rows(count, rng, list(range(1, 6)), clients)):
        with engine.begin() as conn:
            conn.execute(insert(Case), batch)
            for model, rows in _related(batch, rng).items():
                if rows:
                    conn.execute(insert(model), rows)
    with engine.begin() as conn:
        conn.execute(text("ANALYZE"))
    return time.perf_counter() - began


def _figures(scope: Any) -> list[tuple[str, Callable[[Session], Any]]]:
    return [
        ("opened, hand-offs, reopened", lambda db: queries.opened_counts(db, scope, None)),
        ("  ... per category", lambda db: queries.opened_counts(db, scope, "category")),
        ("  ... per client", lambda db: queries.opened_counts(db, scope, "client")),
        ("  ... per month", lambda db: queries.opened_counts(db, scope, "month")),
        ("closed, confirmed share", lambda db: queries.resolved_counts(db, scope, None)),
        ("time to acknowledge med/p90", lambda db: queries.durations(db, scope, None, "acknowledge")),
        ("time to resolve med/p90", lambda db: queries.durations(db, scope, None, "resolve")),
        ("  ... per spokesperson", lambda db: queries.durations(db, scope, "spokesperson", "resolve")),
        ("SLA breaches by clock", lambda db: queries.breaches(db, scope, None)),
        ("concession cost", lambda db: queries.concession_costs(db, scope, None)),
        ("satisfaction", lambda db: queries.satisfaction(db, scope, None)),
        ("follow-up comments (20)", lambda db: queries.comments(db, scope)),
        ("time-to-resolve spread", lambda db: queries.resolve_distribution(db, scope)),
        ("repeat + retained clients", lambda db: queries.client_conflicts(db, scope, UNMATCHED_CLIENT)),
        ("revenue at risk", lambda db: queries.revenue_at_risk(db, scope, UNMATCHED_CLIENT)),
        ("root causes (50)", lambda db: queries.root_causes(db, scope)),
        ("cases behind 'reopened' (500)", lambda db: db.execute(queries.drill(scope, "reopened")).all()),
        (
            "whole overview (all of it)",
            lambda db: service.overview(db, actor=None, workspace_id=1, filters=PERIOD),
        ),
    ]


def time_figures(engine: Engine) -> list[tuple[str, float]]:
    """Median ms of RUNS runs per figure (after one warm-up run)."""
    scope = service.make_scope(actor=None, workspace_id=1, filters=PERIOD)
    results = []
    with Session(engine) as db:
        for name, run in _figures(scope):
            run(db)
            times = []
            for _ in range(RUNS):
                began = time.perf_counter()
                run(db)
                times.append((time.perf_counter() - began) * 1000)
            results.append((name, statistics.median(times)))
    return results


def run_on(label: str, url: str, count: int, reuse: bool = False) -> list[tuple[str, float]]:
    engine = make_engine(url)
    try:
        if not reuse:
            upgrade(url)
            print(f"{label}: seeded {count:,} cases in {seed(engine, count):.0f} s", flush=True)
        return time_figures(engine)
    finally:
        engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--only", choices=("sqlite", "postgres"))
    parser.add_argument("--keep", metavar="NAME", help="PostgreSQL: seed into database NAME and keep it")
    parser.add_argument("--reuse", action="store_true", help="PostgreSQL: time the kept database, no seeding")
    args = parser.parse_args()
    columns: dict[str, list[tuple[str, float]]] = {}
    if args.only in (None, "sqlite"):
        with tempfile.TemporaryDirectory(prefix="accord-report-speed-") as tmp:
            columns["SQLite"] = run_on("SQLite", f"sqlite:///{Path(tmp) / 'bench.db'}", args.count)
    if args.only in (None, "postgres"):
        if args.reuse and args.keep:
            url = pg_database_url(args.keep)
            columns["PostgreSQL"] = run_on("PostgreSQL", url, args.count, reuse=True)
        else:
            with throwaway_pg_database("accord_bench", keep=args.keep) as url:
                columns["PostgreSQL"] = run_on("PostgreSQL", url, args.count)
    names = [name for name, _ in next(iter(columns.values()))]
    print(f"\n{args.count:,} cases; period {PERIOD.start} to {PERIOD.end}; median of {RUNS} runs, ms")
    print(f"{'figure':<32}" + "".join(f"{label:>12}" for label in columns))
    for i, name in enumerate(names):
        print(f"{name:<32}" + "".join(f"{columns[label][i][1]:>12.1f}" for label in columns))
    slow = [n for n, ms in columns.get("PostgreSQL", []) if ms > TARGET_MS and "whole" not in n]
    print(f"target: each figure under {TARGET_MS:.0f} ms on PostgreSQL; over: {', '.join(slow) or 'none'}")
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
