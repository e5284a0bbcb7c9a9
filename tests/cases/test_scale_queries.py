"""Queries that stay fast at a million cases: indexes serve the queue and the API list, numbers never race
(issue 23). EXPLAIN runs on both databases; the race runs on the real PostgreSQL."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from accord.cases import service as cases
from accord.cases.models import Case
from accord.cases.schemas import CaseFilter
from accord.clients.models import Client
from accord.db import make_engine, session_scope
from accord.migrate import upgrade
from accord.scratch import throwaway_pg_database
from accord.users.models import User
from tests.bulk import add_handled_cases
from tests.helpers import create_client, create_owner, create_workspace
from tests.statements import statements_with_params

MON_10 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def _plan(db: Session, sql: str, params: object) -> str:
    """The database's plan for a statement the service really sent."""
    if db.get_bind().dialect.name == "sqlite":
        rows = db.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + sql, params).all()  # type: ignore[arg-type]
        return "\n".join(str(r[-1]) for r in rows)
    return "\n".join(r[0] for r in db.connection().exec_driver_sql("EXPLAIN " + sql, params).all())  # type: ignore[arg-type]


def _sent_select(db: Session, work: object) -> tuple[str, object]:
    with statements_with_params(db.get_bind().engine) as sent:
        work()  # type: ignore[operator]
    selects = [
        (sql, params) for sql, params in sent if sql.lstrip().upper().startswith("SELECT cases.".upper())
    ]
    assert selects, sent
    return selects[0]


@pytest.fixture
def many(db: Session) -> tuple[Session, int, int]:
    """A workspace with 3,000 open cases (enough for PostgreSQL's planner to prefer an index)."""
    ws = create_workspace(db, "explain")
    owner = create_owner(db, ws)
    client = create_client(db, ws)
    add_handled_cases(
        db, workspace_id=ws.id, client_ids=[client.id], owner_id=owner.id, count=3000, at=MON_10
    )
    if db.get_bind().dialect.name == "postgresql":
        db.execute(text("ANALYZE cases"))
    else:
        db.execute(text("ANALYZE"))
    return db, ws.id, owner.id


def _assert_served_by(plan: str, index: str) -> None:
    assert index in plan, plan
    assert "TEMP B-TREE FOR ORDER BY" not in plan and "Sort" not in plan, plan  # no sort of the table


def test_the_queue_reads_its_due_order_from_an_index(many: tuple[Session, int, int]) -> None:
    db, wid, _owner = many
    sql, params = _sent_select(
        db, lambda: cases.queue_page(db, actor=None, workspace_id=wid, flt=CaseFilter(), after=None)
    )
    _assert_served_by(_plan(db, sql, params), "ix_cases_queue")


def test_my_cases_read_the_owner_index_in_due_order(many: tuple[Session, int, int]) -> None:
    db, wid, owner = many
    flt = CaseFilter(owner_id=owner)
    sql, params = _sent_select(
        db, lambda: cases.queue_page(db, actor=None, workspace_id=wid, flt=flt, after=None)
    )
    _assert_served_by(_plan(db, sql, params), "ix_cases_owner_queue")


def test_the_api_list_reads_newest_first_from_an_index(many: tuple[Session, int, int]) -> None:
    db, wid, _owner = many
    first = cases.list_cases(db, actor=None, workspace_id=wid, limit=50)
    cursor = cases.encode_cursor(first[-1].created_at, first[-1].id)
    sql, params = _sent_select(
        db, lambda: cases.list_cases(db, actor=None, workspace_id=wid, limit=50, after=cursor)
    )
    _assert_served_by(_plan(db, sql, params), "ix_cases_listing")
    following = cases.list_cases(db, actor=None, workspace_id=wid, limit=50, after=cursor)
    assert following[0].created_at <= first[-1].created_at and not {c.id for c in first} & {
        c.id for c in following
    }


def _open_cases(
    engine: Engine, client_id: int, owner_id: int, errors: list[str], start: threading.Barrier
) -> None:
    start.wait()
    for i in range(20):
        try:
            with session_scope(engine) as db:
                client, actor = db.get(Client, client_id), db.get(User, owner_id)
                assert client is not None and actor is not None
                cases.open_case(db, actor=actor, client=client, title=f"Parallel complaint {i}")
        except Exception as exc:  # the test counts every failure a user would have seen
            errors.append(repr(exc))


@pytest.mark.postgres
def test_two_people_opening_cases_at_once_on_postgresql_get_no_errors() -> None:
    with throwaway_pg_database("accord_numbers") as url:
        upgrade(url)
        engine = make_engine(url)
        try:
            with session_scope(engine) as db:
                ws = create_workspace(db, "race")
                owner = create_owner(db, ws)
                client_id, owner_id, wid = create_client(db, ws).id, owner.id, ws.id
            errors: list[str] = []
            start = threading.Barrier(2)
            people = [
                threading.Thread(target=_open_cases, args=(engine, client_id, owner_id, errors, start))
                for _ in range(2)
            ]
            for person in people:
                person.start()
            for person in people:
                person.join()
            with session_scope(engine) as db:
                numbers = db.scalars(select(Case.number).where(Case.workspace_id == wid)).all()
        finally:
            engine.dispose()
    assert errors == []
    assert len(numbers) == 40 and sorted(numbers) == list(range(min(numbers), min(numbers) + 40))
