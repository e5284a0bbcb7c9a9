"""Full-text search over case titles and message text, on SQLite FTS5 and PostgreSQL tsvector (issue 23)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import inspect, text
from sqlalchemy.orm import Session

from accord import setup
from accord.app import create_app
from accord.cases.models import Case
from accord.db import session_scope
from accord.errors import Invalid
from accord.intake.models import Message
from accord.search import service as search
from accord.search.index import POSTGRES_INDEXES, SQLITE_TABLES, SQLITE_TRIGGERS
from accord.users import repository as user_lookup
from tests.helpers import create_case, create_client, create_workspace
from tests.security.helpers import authorize, sign_in


def _message(db: Session, case: Case, body: str, subject: str = "") -> Message:
    message = Message(workspace_id=case.workspace_id, case_id=case.id, subject=subject, body=body)
    db.add(message)
    db.flush()
    return message


def _refs(hits: list[search.SearchHit]) -> list[str]:
    return [h.reference for h in hits]


def test_finds_cases_by_title_words_as_prefixes(db: Session) -> None:
    ws = create_workspace(db)
    client = create_client(db, ws)
    refund = create_case(db, client, title="Refund the duplicate invoice")
    create_case(db, client, title="Website down since Monday")
    hits = search.search_cases(db, actor=None, workspace_id=ws.id, query="refun invoice")
    assert _refs(hits) == [refund.reference]
    assert hits[0].in_title and not hits[0].in_messages


def test_finds_cases_by_what_the_client_wrote(db: Session) -> None:
    ws = create_workspace(db)
    client = create_client(db, ws)
    case = create_case(db, client, title="Unhappy")
    _message(db, case, "Hello. " * 60 + "Our lawyer will contact you about the chargeback tomorrow.")
    hits = search.search_cases(db, actor=None, workspace_id=ws.id, query="Chargeback lawyer")
    assert _refs(hits) == [case.reference]
    assert hits[0].in_messages and not hits[0].in_title
    assert "chargeback" in hits[0].excerpt and hits[0].excerpt.startswith("…")


def test_every_word_must_match_and_other_workspaces_stay_hidden(db: Session) -> None:
    ours, theirs = create_workspace(db), create_workspace(db, slug="other")
    case = create_case(db, create_client(db, ours), title="Printer jam on floor two")
    create_case(db, create_client(db, theirs), title="Printer jam in the lobby")
    assert _refs(search.search_cases(db, actor=None, workspace_id=ours.id, query="printer jam")) == [
        case.reference
    ]
    assert search.search_cases(db, actor=None, workspace_id=ours.id, query="printer lobby") == []


def test_a_changed_title_is_found_by_its_new_words_only(db: Session) -> None:
    ws = create_workspace(db)
    case = create_case(db, create_client(db, ws), title="Slow backups")
    case.title = "Missing backups after migration"
    db.flush()
    assert _refs(search.search_cases(db, actor=None, workspace_id=ws.id, query="migration")) == [
        case.reference
    ]
    assert search.search_cases(db, actor=None, workspace_id=ws.id, query="slow") == []


@pytest.mark.parametrize("query", ['"', "(*) AND OR NEAR", "' OR 1=1 --", "a:* & !b | c"])
def test_search_syntax_in_a_query_is_just_text(db: Session, query: str) -> None:
    """Quotes, operators and SQL in a query never reach the index's query language as syntax."""
    ws = create_workspace(db)
    create_case(db, create_client(db, ws), title="Nothing to see")
    words = [w for w in query.replace("_", " ").split() if any(ch.isalnum() for ch in w)]
    if not words:
        with pytest.raises(Invalid):
            search.search_cases(db, actor=None, workspace_id=ws.id, query=query)
    else:
        assert search.search_cases(db, actor=None, workspace_id=ws.id, query=query) == []


def test_an_empty_or_huge_query_is_a_clear_error(db: Session) -> None:
    ws = create_workspace(db)
    with pytest.raises(Invalid, match="at least one word"):
        search.search_cases(db, actor=None, workspace_id=ws.id, query="  ?! ")
    with pytest.raises(Invalid, match="at most 200"):
        search.search_cases(db, actor=None, workspace_id=ws.id, query="x" * 201)


def test_the_index_objects_survive_every_migration(db: Session) -> None:
    """A later migration rebuilding `cases` or `messages` on SQLite would drop the triggers: caught here."""
    bind = db.get_bind()
    if bind.dialect.name == "sqlite":
        names = {
            r[0]
            for r in db.execute(text("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')"))
        }
        assert set(SQLITE_TABLES) | set(SQLITE_TRIGGERS) <= names
    else:
        indexes = {i["name"] for t in ("cases", "messages") for i in inspect(db.connection()).get_indexes(t)}
        assert set(POSTGRES_INDEXES) <= indexes


def test_postgres_search_uses_the_gin_index(db: Session) -> None:
    """EXPLAIN shows the tsvector index serving the title search (no sequential scan of cases)."""
    if db.get_bind().dialect.name != "postgresql":
        pytest.skip("PostgreSQL only")
    db.execute(text("SET LOCAL enable_seqscan = off"))
    plan = "\n".join(
        r[0]
        for r in db.execute(
            text(
                "EXPLAIN SELECT id FROM cases "
                "WHERE to_tsvector('english', title) @@ to_tsquery('english', 'x:*')"
            )
        )
    )
    assert "ix_cases_title_tsv" in plan


OWNER = "olivia@desk.example"


@pytest.fixture
def api(data_dir: Path) -> Iterator[TestClient]:
    """A web and API client (token and session) on a fresh workspace with two cases, one with hostile text."""
    with session_scope() as db:
        password = setup.init_workspace(db, owner_email=OWNER, owner_name="Olivia Owner")
        ws = user_lookup.workspace_by_slug(db, "default")
        assert ws is not None
        client = create_client(db, ws)
        create_case(db, client, title="<script>alert('x')</script> refund now")
        quiet = create_case(db, client, title="Quiet case")
        _message(db, quiet, "Please <b>refund</b> the second charge.")
    with TestClient(create_app()) as http:
        assert password and sign_in(http, OWNER, password) == 303
        yield authorize(http)


def test_api_search_returns_both_matches_newest_first(api: TestClient) -> None:
    body = api.get("/api/v1/search", params={"q": "refund"}).json()
    assert [r["title"] for r in body["results"]] == ["Quiet case", "<script>alert('x')</script> refund now"]
    assert body["results"][0]["in_messages"] is True
    assert api.get("/api/v1/search", params={"q": "!!"}).status_code == 422


def test_search_page_escapes_titles_and_excerpts(api: TestClient) -> None:
    html = api.get("/search", params={"q": "refund"}).text
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    assert "&lt;b&gt;refund&lt;/b&gt;" in html
    assert "2 cases found" in html
    empty = api.get("/search", params={"q": "%%%"})
    assert empty.status_code == 400 and "at least one word" in empty.text
