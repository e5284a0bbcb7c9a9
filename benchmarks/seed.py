"""Seed a database with N cases fast, for the load benchmark (issue 23 item 7).

How: a real workspace is made with the services (owner, clients, and TEMPLATES cases opened through
intake with a first client message, then triaged and swept once, so each template carries every row
a real case has: timeline, steps, clock, message, triage result...). Then every row that hangs off a
template case (any table with a `case_id`, and tables pointing at those rows) is copied in bulk with
fresh ids and remapped foreign keys until there are N cases. Titles and message text vary, so full-text
search has something to find. Works on SQLite and PostgreSQL; on PostgreSQL the id sequences are moved on.

Run (prints rows/s and the database size):
  .venv/bin/python benchmarks/seed.py --cases 10000 --data-dir /tmp/accord-bench            # SQLite file
  .venv/bin/python benchmarks/seed.py --cases 100000 --database-url postgresql+psycopg://postgres@127.0.0.1/bench
Prints the demo owner's email and a fresh password to log in with (load.py reads them from login.txt).
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Table, func, insert, or_, select, text, update
from sqlalchemy.engine import Connection

from accord.db import Base
from accord.tables import import_all_models

TEMPLATES = 24
CLIENTS = 500
BATCH = 2_000  # cases per bulk insert round
WORDS = [
    "invoice",
    "refund",
    "charged",
    "twice",
    "late",
    "delivery",
    "booking",
    "page",
    "broken",
    "website",
    "down",
    "logo",
    "wrong",
    "colour",
    "printer",
    "missing",
    "report",
    "contract",
    "renewal",
    "discount",
    "angry",
    "lawyer",
    "chargeback",
    "quality",
    "missed",
    "deadline",
    "support",
    "slow",
    "answer",
    "migration",
    "backup",
    "lost",
    "data",
    "password",
    "reset",
    "newsletter",
    "typo",
    "campaign",
    "budget",
]
OWNER = "bench.owner@accord.example"
_NOW = datetime.now(UTC)


def _configure(args: argparse.Namespace) -> None:
    os.environ["ACCORD_DATA_DIR"] = str(args.data_dir)
    os.environ.setdefault("ACCORD_RATE_LIMIT", "false")
    if args.database_url:
        os.environ["ACCORD_DATABASE_URL"] = args.database_url
    else:
        os.environ.pop("ACCORD_DATABASE_URL", None)


def _templates(seed: int) -> tuple[int, list[int], str]:
    """Workspace, clients and template cases made by the real services; returns (workspace, cases, pw)."""
    from accord import setup
    from accord.clients import service as clients
    from accord.db import session_scope
    from accord.intake import service as intake
    from accord.triage import service as triage
    from accord.users import repository as user_lookup
    from accord.users import service as users

    rng = random.Random(seed)
    with session_scope() as db:
        setup.init_workspace(db, owner_email=OWNER, owner_name="Bench Owner")
        workspace = user_lookup.workspace_by_slug(db, "default")
        assert workspace is not None
        password = secrets.token_urlsafe(12)
        users.set_password(
            db, user=users.get_user_by_email(db, workspace_id=workspace.id, email=OWNER), password=password
        )
        made = [
            clients.add_client(
                db, actor=None, workspace_id=workspace.id, name=f"Client {i:04d}",
                email_domains=[f"c{i}.example"], monthly_value=rng.choice((500, 1500, 3000, 9000)),
                tier=rng.choice(("standard", "key")),
            )
            for i in range(CLIENTS)
        ]  # fmt: skip
        case_ids = []
        for i in range(TEMPLATES):
            title = " ".join(rng.sample(WORDS, 4)).capitalize()
            body = f"Hello, {' '.join(rng.sample(WORDS, 25))}. Please fix this today. Template {i}."
            message = intake.receive_form(db, client=made[i % len(made)], title=title, body=body)
            case_ids.append(int(message.case_id or 0))
        triage.triage_pending(db, limit=TEMPLATES)
        return workspace.id, case_ids, password


def _dependants(tables: list[Table]) -> list[Table]:
    """Tables whose rows belong to a case: a `case_id` column, or a foreign key to such a table."""
    chosen = {"cases"}
    changed = True
    while changed:
        changed = False
        for table in tables:
            targets = {fk.column.table.name for fk in table.foreign_keys}
            if table.name not in chosen and targets & chosen:
                chosen.add(table.name)
                changed = True
    return [t for t in tables if t.name in chosen]


def _rows(conn: Connection, table: Table, ids: dict[str, set[int]]) -> list[dict[str, Any]]:
    """The template rows of one table: those pointing at any template row already collected."""
    if table.name == "cases":
        conditions = [table.c.id.in_(sorted(ids["cases"]))]
    else:
        conditions = [
            fk.parent.in_(sorted(ids[fk.column.table.name]))
            for fk in table.foreign_keys
            if fk.column.table.name in ids and fk.column.name == "id"
        ]
    return (
        [dict(r._mapping) for r in conn.execute(select(table).where(or_(*conditions)))] if conditions else []
    )


def _plans(tables: list[Table], template: dict[str, list[dict[str, Any]]]) -> list[list[tuple[Table, dict]]]:
    """For each template case, its own rows in insert order (a row is the case's when it points at it,
    or at a row already counted as the case's)."""
    plans = []
    for case in template["cases"]:
        owned: dict[str, set[int]] = {"cases": {case["id"]}}
        plan: list[tuple[Table, dict[str, Any]]] = [(tables[0], case)]
        for table in tables[1:]:
            for row in template[table.name]:
                links = [(fk.column.table.name, row.get(fk.parent.name)) for fk in table.foreign_keys]
                if any(value in owned.get(target, ()) for target, value in links):
                    plan.append((table, row))
                    owned.setdefault(table.name, set()).add(row.get("id"))
        plans.append(plan)
    return plans


def _copy(plan: list[tuple[Table, dict[str, Any]]], next_id: dict[str, int], number: int, client: int,
          rng: random.Random) -> list[tuple[Table, dict[str, Any]]]:  # fmt: skip
    """One new case from a plan: fresh ids, foreign keys remapped to the copies, text varied."""
    mapping: dict[str, dict[int, int]] = {}
    out = []
    for table, row in plan:
        copy = dict(row)
        if "id" in copy:
            mapping.setdefault(table.name, {})[row["id"]] = next_id[table.name]
            copy["id"] = next_id[table.name]
            next_id[table.name] += 1
        for fk in table.foreign_keys:
            moved = mapping.get(fk.column.table.name, {})
            if copy.get(fk.parent.name) in moved:
                copy[fk.parent.name] = moved[copy[fk.parent.name]]
        if table.name == "cases":
            copy["client_id"] = client
        _varied(table, copy, number, rng)
        out.append((table, copy))
    return out


def _varied(table: Table, row: dict[str, Any], n: int, rng: random.Random) -> None:
    """Make one copy distinct: case number and title, message text, unique string keys."""
    if table.name == "cases":
        row["number"] = n
        row["title"] = " ".join(rng.sample(WORDS, 4)).capitalize() + f" #{n}"
    elif table.name == "messages":
        row["body"] = f"Hello, {' '.join(rng.sample(WORDS, 25))}. Case {n}."
        if row.get("email_message_id"):
            row["email_message_id"] = f"<seed-{n}-{row['id']}@bench.example>"
    if table.name == "outbox" and row.get("state") == "pending":
        row["state"] = "sent"  # the templates' mail went out once; a copy must not queue 100,000 mails
    for name, value in row.items():
        if name.endswith("_due_at") and value is not None:  # most cases of a big desk are not due now
            row[name] = _NOW + timedelta(days=rng.randint(2, 30), minutes=rng.randint(0, 1440))
    for column in table.columns:
        if column.unique and isinstance(row.get(column.name), str):
            row[column.name] = f"{row[column.name]}-seed{n}"


def clone(conn: Connection, workspace_id: int, template_ids: list[int], total: int, seed: int) -> int:
    """Copy the templates' rows until the workspace has `total` cases; returns rows written."""
    import_all_models()
    tables = _dependants(list(Base.metadata.sorted_tables))
    tables.sort(key=lambda t: t.name != "cases")  # cases first; the rest keep their dependency order
    ids: dict[str, set[int]] = {"cases": set(template_ids)}
    template: dict[str, list[dict[str, Any]]] = {}
    for table in tables:
        template[table.name] = _rows(conn, table, ids)
        ids[table.name] = {int(r["id"]) for r in template[table.name] if "id" in r}
    plans = _plans(tables, template)
    next_id = {t.name: int(conn.scalar(select(func.max(t.c.id))) or 0) + 1 for t in tables if "id" in t.c}
    number = int(conn.scalar(text("SELECT MAX(number) FROM cases")) or 0) + 1
    clients = list(conn.scalars(text("SELECT id FROM clients WHERE workspace_id = :w"), {"w": workspace_id}))
    rng, written = random.Random(seed), 0
    pending: dict[str, list[dict[str, Any]]] = {t.name: [] for t in tables}
    for made in range(len(template_ids), total):
        for table, row in _copy(plans[made % len(plans)], next_id, number, rng.choice(clients), rng):
            pending[table.name].append(row)
        number += 1
        if made % BATCH == 0 or made == total - 1:
            written += _flush(conn, tables, pending)
    conn.execute(update(Base.metadata.tables["workspaces"]).values(next_case_number=number))
    if conn.dialect.name == "postgresql":
        for name, value in next_id.items():
            conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), {value})"))
    return written


def _flush(conn: Connection, tables: list[Table], pending: dict[str, list[dict[str, Any]]]) -> int:
    count = 0
    for table in tables:  # parents first (sorted_tables order)
        rows = pending[table.name]
        if rows:
            conn.execute(insert(table), rows)
            count += len(rows)
            rows.clear()
    return count


def _size(url: str, data_dir: Path) -> str:
    if url.startswith("sqlite"):
        files = [data_dir / n for n in ("accord.db", "accord.db-wal")]
        return f"{sum(f.stat().st_size for f in files if f.exists()) / 1e6:.0f} MB (SQLite file)"
    from accord.db import get_engine

    with get_engine().connect() as conn:
        return str(conn.scalar(text("SELECT pg_size_pretty(pg_database_size(current_database()))")))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--data-dir", type=Path, default=Path("/tmp/accord-bench"))
    parser.add_argument("--database-url", default="")
    parser.add_argument("--seed", type=int, default=23)
    args = parser.parse_args()
    _configure(args)
    from accord.config import get_settings
    from accord.db import get_engine

    started = time.perf_counter()
    workspace_id, template_ids, password = _templates(args.seed)
    made_at = time.perf_counter()
    with get_engine().begin() as conn:
        rows = clone(conn, workspace_id, template_ids, args.cases, args.seed)
    with get_engine().begin() as conn:  # fresh statistics, as autovacuum would gather after a bulk load
        conn.execute(text("ANALYZE"))
    done = time.perf_counter()
    if password:
        (args.data_dir / "login.txt").write_text(f"{OWNER}\n{password}\n")
    print(f"templates: {len(template_ids)} cases through the services in {made_at - started:.1f} s")
    copied, took = args.cases - len(template_ids), max(done - made_at, 1e-9)
    print(f"bulk copy: {copied:,} cases, {rows:,} rows in {took:.1f} s ({rows / took:,.0f} rows/s, "
          f"{rows / max(copied, 1):.1f} rows per case)")  # fmt: skip
    print(f"database: {_size(get_settings().sqlalchemy_url, args.data_dir)}")
    print(f"log in as {OWNER} (password in {args.data_dir / 'login.txt'})")


if __name__ == "__main__":
    main()
