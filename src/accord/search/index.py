"""The database objects search reads, made by migration 0035 (not expressible as models).

Named here so the model comparison in tests/test_migrations.py can leave them out, and so a test can
check the SQLite triggers survive every later migration.
"""

from __future__ import annotations

SQLITE_TABLES = ("case_title_fts", "message_text_fts")
SQLITE_TRIGGERS = (
    "case_title_fts_ai",
    "case_title_fts_ad",
    "case_title_fts_au",
    "message_text_fts_ai",
    "message_text_fts_ad",
    "message_text_fts_au",
)
POSTGRES_INDEXES = ("ix_cases_title_tsv", "ix_messages_text_tsv")
TS_CONFIG = "english"
MESSAGE_TEXT_SQL = "coalesce(subject, '') || ' ' || coalesce(body, '')"
"""The exact expression the PostgreSQL GIN index is built on: queries must repeat it to use the index."""


def is_search_object(name: str | None) -> bool:
    """True for the FTS5 tables (and their shadow tables) and the tsvector indexes."""
    if not name:
        return False
    return name in POSTGRES_INDEXES or any(name == t or name.startswith(t + "_") for t in SQLITE_TABLES)
