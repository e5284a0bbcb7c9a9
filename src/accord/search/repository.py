"""Search queries, one per database: FTS5 MATCH on SQLite, `@@ to_tsquery` on PostgreSQL.

Both take the same cleaned word list (letters and digits only, so no user text ever reaches the query
syntax) and find every word, each as a prefix ("refun" finds "refund"). Matches are case ids, newest
first; the service loads the cases.
"""

from __future__ import annotations

from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

from accord.search.index import MESSAGE_TEXT_SQL, TS_CONFIG

# FTS5 hands back matches in descending rowid order without sorting them, so ORDER BY f.rowid DESC with
# a LIMIT stops after the newest matches instead of collecting every match (a common word at 100k cases).
_SQLITE_TITLES = text(
    "SELECT c.id FROM case_title_fts f JOIN cases c ON c.id = f.rowid "
    "WHERE case_title_fts MATCH :match AND c.workspace_id = :ws ORDER BY f.rowid DESC LIMIT :limit"
)
_SQLITE_MESSAGES = text(
    "SELECT m.case_id, m.id FROM message_text_fts f JOIN messages m ON m.id = f.rowid "
    "WHERE message_text_fts MATCH :match AND m.workspace_id = :ws AND m.case_id IS NOT NULL "
    "ORDER BY f.rowid DESC LIMIT :scan"
)
# MATERIALIZED keeps PostgreSQL on the GIN index: given ORDER BY id DESC LIMIT alone, it walks the
# primary key backwards computing to_tsvector on every row (1.2 s at 10k cases for a word nowhere).
_PG_TITLES = text(
    "WITH hits AS MATERIALIZED (SELECT c.id FROM cases c "
    f"WHERE to_tsvector('{TS_CONFIG}', c.title) @@ to_tsquery('{TS_CONFIG}', :match) "
    "AND c.workspace_id = :ws) SELECT id FROM hits ORDER BY id DESC LIMIT :limit"
)
_PG_MESSAGES = text(
    "WITH hits AS MATERIALIZED (SELECT m.case_id, m.id FROM messages m "
    f"WHERE to_tsvector('{TS_CONFIG}', {MESSAGE_TEXT_SQL}) @@ to_tsquery('{TS_CONFIG}', :match) "
    "AND m.workspace_id = :ws AND m.case_id IS NOT NULL) "
    "SELECT case_id, id FROM hits ORDER BY id DESC LIMIT :scan"
)
SCAN_FACTOR = 5
"""Newest matching messages read per result wanted: a case with several matching messages counts once."""


def _sqlite_match(words: list[str]) -> str:
    return " ".join(f'"{word}"*' for word in words)


def _pg_match(words: list[str]) -> str:
    return " & ".join(f"{word}:*" for word in words)


def matching_cases(
    db: Session, *, workspace_id: int, words: list[str], limit: int
) -> tuple[list[int], dict[int, int]]:
    """Case ids whose title matches, and {case id: newest matching message id} for message matches."""
    sqlite = db.get_bind().dialect.name == "sqlite"
    match = _sqlite_match(words) if sqlite else _pg_match(words)
    params = {"match": match, "ws": workspace_id, "limit": limit, "scan": limit * SCAN_FACTOR}
    titles = (_SQLITE_TITLES if sqlite else _PG_TITLES).bindparams(bindparam("limit"))
    messages = (_SQLITE_MESSAGES if sqlite else _PG_MESSAGES).bindparams(bindparam("scan"))
    title_ids = [int(row[0]) for row in db.execute(titles, params)]
    message_hits: dict[int, int] = {}
    for case_id, message_id in db.execute(messages, params):  # newest first: keep each case's newest
        if len(message_hits) >= limit:
            break
        message_hits.setdefault(int(case_id), int(message_id))
    return title_ids, message_hits
