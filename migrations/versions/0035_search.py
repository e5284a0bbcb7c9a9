"""full-text search over case titles and message text: SQLite FTS5 tables kept by triggers, PostgreSQL
GIN indexes on to_tsvector expressions (issue 23 item 3)

Revision ID: 0035_search
Revises: 0007_mail

Not expressible in the models (virtual tables, expression indexes): `accord.search.index` names them, and
tests/test_migrations.py leaves them out of the model comparison. A later migration that rebuilds `cases`
or `messages` on SQLite (batch mode copies the table) drops these triggers; tests/search checks they are
there after every migration has run.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0035_search"
down_revision: str | Sequence[str] | None = "0007_mail"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TOKENIZE = "porter unicode61 remove_diacritics 2"

SQLITE_UP = [
    f"CREATE VIRTUAL TABLE case_title_fts USING fts5(title, content='cases', content_rowid='id', "
    f"tokenize='{TOKENIZE}')",
    f"CREATE VIRTUAL TABLE message_text_fts USING fts5(subject, body, content='messages', "
    f"content_rowid='id', tokenize='{TOKENIZE}')",
    "CREATE TRIGGER case_title_fts_ai AFTER INSERT ON cases BEGIN "
    "INSERT INTO case_title_fts(rowid, title) VALUES (new.id, new.title); END",
    "CREATE TRIGGER case_title_fts_ad AFTER DELETE ON cases BEGIN "
    "INSERT INTO case_title_fts(case_title_fts, rowid, title) VALUES ('delete', old.id, old.title); END",
    "CREATE TRIGGER case_title_fts_au AFTER UPDATE OF title ON cases BEGIN "
    "INSERT INTO case_title_fts(case_title_fts, rowid, title) VALUES ('delete', old.id, old.title); "
    "INSERT INTO case_title_fts(rowid, title) VALUES (new.id, new.title); END",
    "CREATE TRIGGER message_text_fts_ai AFTER INSERT ON messages BEGIN "
    "INSERT INTO message_text_fts(rowid, subject, body) VALUES (new.id, new.subject, new.body); END",
    "CREATE TRIGGER message_text_fts_ad AFTER DELETE ON messages BEGIN "
    "INSERT INTO message_text_fts(message_text_fts, rowid, subject, body) "
    "VALUES ('delete', old.id, old.subject, old.body); END",
    "CREATE TRIGGER message_text_fts_au AFTER UPDATE OF subject, body ON messages BEGIN "
    "INSERT INTO message_text_fts(message_text_fts, rowid, subject, body) "
    "VALUES ('delete', old.id, old.subject, old.body); "
    "INSERT INTO message_text_fts(rowid, subject, body) VALUES (new.id, new.subject, new.body); END",
    "INSERT INTO case_title_fts(case_title_fts) VALUES ('rebuild')",
    "INSERT INTO message_text_fts(message_text_fts) VALUES ('rebuild')",
]
SQLITE_DOWN = [
    *(
        f"DROP TRIGGER IF EXISTS {name}"
        for name in (
            "case_title_fts_ai",
            "case_title_fts_ad",
            "case_title_fts_au",
            "message_text_fts_ai",
            "message_text_fts_ad",
            "message_text_fts_au",
        )
    ),
    "DROP TABLE IF EXISTS case_title_fts",
    "DROP TABLE IF EXISTS message_text_fts",
]
POSTGRES_UP = [
    "CREATE INDEX ix_cases_title_tsv ON cases USING gin (to_tsvector('english', title))",
    "CREATE INDEX ix_messages_text_tsv ON messages USING gin "
    "(to_tsvector('english', coalesce(subject, '') || ' ' || coalesce(body, '')))",
]
POSTGRES_DOWN = ["DROP INDEX IF EXISTS ix_cases_title_tsv", "DROP INDEX IF EXISTS ix_messages_text_tsv"]


def upgrade() -> None:
    for statement in SQLITE_UP if op.get_bind().dialect.name == "sqlite" else POSTGRES_UP:
        op.execute(statement)


def downgrade() -> None:
    for statement in SQLITE_DOWN if op.get_bind().dialect.name == "sqlite" else POSTGRES_DOWN:
        op.execute(statement)
