"""Search queries, one per database: FTS5 MATCH on SQLite, `@@ to_tsquery` on PostgreSQL.

Both take the same cleaned word list (letters and digits only, so no user text ever reaches the query
syntax) and find every word, each as a prefix ("refun" finds "refund"). Matches are case ids, newest
first; the service loads the cases.
"""

from __future__ import annotations

from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

from accord.search.index import MESSAGE_TEXT_SQL, TS_CONFIG

_SQLITE_TITLES = text(
    "SELECT c.id FROM case_title_fts f JOIN cases c ON c.id = f.rowid "
    "WHERE case_title_fts MATCH :match AND c.workspace_id = :ws ORDER BY c.id DESC LIMIT :limit"
)
_SQLITE_MESSAGES = text(
    "SELECT m.case_id, MAX(m.id) FROM message_text_fts f JOIN messages m ON m.id = f.rowid "
    "JOIN cases c ON c.id = m.case_id "
    "WHERE message_text_fts MATCH :match AND c.workspace_id = :ws "
    "GROUP BY m.case_id ORDER BY m.case_id DESC LIMIT :limit"
)
_PG_TITLES = text(
    f"SELECT c.id FROM cases c WHERE to_tsvector('{TS_CONFIG}', c.title) "
    f"@@ to_tsquery('{TS_CONFIG}', :match) "
    "AND c.workspace_id = :ws ORDER BY c.id DESC LIMIT :limit"
)
_PG_MESSAGES = text(
    "SELECT m.case_id, MAX(m.id) FROM messages m JOIN cases c ON c.id = m.case_id "
    f"WHERE to_tsvector('{TS_CONFIG}', {MESSAGE_TEXT_SQL}) @@ to_tsquery('{TS_CONFIG}', :match) "
    "AND c.workspace_id = :ws GROUP BY m.case_id ORDER BY m.case_id DESC LIMIT :limit"
)


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
    params = {"match": match, "ws": workspace_id, "limit": limit}
    titles = (_SQLITE_TITLES if sqlite else _PG_TITLES).bindparams(bindparam("limit"))
    messages = (_SQLITE_MESSAGES if sqlite else _PG_MESSAGES).bindparams(bindparam("limit"))
    title_ids = [int(row[0]) for row in db.execute(titles, params)]
    message_hits = {int(row[0]): int(row[1]) for row in db.execute(messages, params)}
    return title_ids, message_hits
