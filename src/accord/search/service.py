"""Search cases by their title and by what was written in them (issue 23 item 3).

One service for the search page and `GET /api/v1/search`: it cleans the query into words, asks the
database's own full-text index (FTS5 or tsvector, see repository.py) and returns hits newest first, each
with where it matched and a short excerpt of the matching message. Only the caller's workspace is searched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.cases.models import Case
from accord.errors import Invalid
from accord.intake.models import Message
from accord.search import repository
from accord.users.access import ActorLike

MAX_QUERY_CHARS = 200
MAX_WORDS = 8
MAX_RESULTS = 100
EXCERPT_CHARS = 160
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class SearchHit:
    """One case that matched: where (title, messages or both), an excerpt of its newest matching message."""

    reference: str
    title: str
    status: str
    severity: int
    created_at: datetime
    in_title: bool
    in_messages: bool
    excerpt: str


def query_words(query: str) -> list[str]:
    """The words of a query, lower-cased, without any search syntax; a clear error when there are none."""
    if len(query) > MAX_QUERY_CHARS:
        raise Invalid(f"Search for at most {MAX_QUERY_CHARS} characters.")
    words = [w.casefold() for w in _WORD.findall(query) if w.strip("_")]
    if not words:
        raise Invalid("Type at least one word or number to search for.")
    return words[:MAX_WORDS]


def excerpt(body: str, words: list[str], width: int = EXCERPT_CHARS) -> str:
    """The part of a message around the first searched word (plain text; the page escapes it)."""
    flat = " ".join(body.split())
    lowered = flat.casefold()
    found = [i for i in (lowered.find(w) for w in words) if i >= 0]
    start = max(0, min(found) - width // 3) if found else 0
    piece = flat[start : start + width]
    return ("…" if start else "") + piece + ("…" if start + width < len(flat) else "")


def search_cases(
    db: Session, *, actor: ActorLike | None, workspace_id: int, query: str, limit: int = 50
) -> list[SearchHit]:
    """Cases of the workspace whose title or messages hold every word of `query`, newest first."""
    words = query_words(query)
    limit = max(1, min(limit, MAX_RESULTS))
    title_ids, message_hits = repository.matching_cases(
        db, workspace_id=workspace_id, words=words, limit=limit
    )
    ids = sorted(set(title_ids) | set(message_hits), reverse=True)[:limit]
    if not ids:
        return []
    cases = {c.id: c for c in db.scalars(select(Case).where(Case.id.in_(ids)))}
    wanted = [message_hits[i] for i in ids if i in message_hits]
    bodies = dict(db.execute(select(Message.id, Message.body).where(Message.id.in_(wanted))).tuples().all())
    titled = set(title_ids)
    return [
        SearchHit(
            reference=cases[i].reference,
            title=cases[i].title,
            status=cases[i].status,
            severity=cases[i].severity,
            created_at=cases[i].created_at,
            in_title=i in titled,
            in_messages=i in message_hits,
            excerpt=excerpt(bodies.get(message_hits.get(i, -1), ""), words),
        )
        for i in ids
        if i in cases
    ]
