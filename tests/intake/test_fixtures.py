"""The .eml corpus (fixtures/eml, expectations in fixtures/cases.json), one test per mail (P3, P23).

Each mail is imported into a fresh copy of the corpus's world; the test checks where it landed, what
it did to the case, the text kept, the problems listed and the attachments kept.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.cases.models import Case
from accord.clients.models import Client
from accord.intake import service as intake
from accord.intake.models import Attachment, Message
from tests.intake.world import build_world

FIXTURES = Path(__file__).parent / "fixtures"
CASES: list[dict[str, Any]] = json.loads((FIXTURES / "cases.json").read_text(encoding="utf-8"))
# How each problem tag of the corpus reads in the problems Accord lists on a message.
PROBLEM_WORDS = {
    "missing_message_id": "No Message-ID",
    "missing_date": "No Date",
    "missing_subject": "No Subject",
    "bad_charset": "harset problem",
    "invalid_utf8": "Invalid UTF-8",
    "bad_header_encoding": "bad encoding",
    "html_only": "only HTML",
    "truncated": "cut",
    "broken_mime": "Broken MIME",
    "bad_cte": "transfer encoding",
}


def _tags(problems: str) -> set[str]:
    return {tag for tag, words in PROBLEM_WORDS.items() if words in problems}


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _landed(db: Session, message: Message) -> tuple[str | None, str | None, str | None]:
    """(case reference, client name, case status) of where the message went; Nones when loose."""
    case = db.get(Case, message.case_id) if message.case_id else None
    client = db.get(Client, case.client_id) if case else None
    return (case.reference if case else None, client.name if client else None, case.status if case else None)


def _check_outcome(db: Session, message: Message, expect: dict[str, Any], world: Any) -> None:
    ref, client, status = _landed(db, message)
    outcome = expect["outcome"]
    failed = [
        v.id
        for v in intake.view_messages(db, actor=None, case=world.open_case)
        + intake.view_messages(db, actor=None, case=world.resolved_case)
        if v.state == "failed"
    ]
    if outcome in ("new_case", "unmatched"):
        assert ref not in ("ACC-1001", "ACC-1002") and message.kind == "message"
        assert client == (expect["client"] if outcome == "new_case" else intake.UNMATCHED_CLIENT)
    elif outcome == "joins_case":
        assert (ref, client, message.kind) == (expect["case"], expect["client"], "message")
    elif outcome == "auto_reply_stored":
        assert message.kind in ("auto_reply", "bounce") and ref == expect["case"] and failed == []
    elif outcome == "bounce_marks_failed":
        assert (message.kind, ref) == ("bounce", expect["case"]) and len(failed) == 1
        assert world.resolved_case.status == "resolved"
    elif outcome == "stored_no_reopen":
        assert (message.kind, ref, status) == ("thanks", expect["case"], "resolved")
    else:
        assert (outcome, ref, status) == ("reopens_case", expect["case"], "reopened")


@pytest.mark.parametrize("entry", CASES, ids=[Path(c["file"]).stem for c in CASES])
def test_fixture_lands_where_expected(sqlite_db: Session, data_dir: Path, entry: dict[str, Any]) -> None:
    world = build_world(sqlite_db)
    expect = entry["expect"]
    raw = (FIXTURES / entry["file"]).read_bytes()
    message = intake.receive_email(sqlite_db, workspace_id=world.workspace.id, raw=raw)
    _check_outcome(sqlite_db, message, expect, world)
    assert _flat(expect["body_contains"]) in _flat(message.body)
    assert not [s for s in expect.get("body_excludes", []) if s in message.body]
    assert _tags(message.parse_error) == set(expect["problems"]), message.parse_error
    kept = sqlite_db.scalars(select(Attachment).where(Attachment.message_id == message.id)).all()
    assert [(a.filename, a.content_type) for a in kept] == [
        (a["name"], a["content_type"]) for a in expect["attachments"]
    ]
    assert (message.kind in ("auto_reply", "bounce")) == expect["is_auto"]
    again = intake.receive_email(sqlite_db, workspace_id=world.workspace.id, raw=raw)
    assert again.id == message.id  # the same mail twice is stored once
