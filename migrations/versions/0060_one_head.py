"""one head again: the branches of wave two meet here, and search's SQLite triggers are made sure of

Revision ID: 0060_one_head
Revises: 0030_due_order, 0035_search, 0040_insights, 0050_team_settings, 0055_desk_links

Why: alembic runs sibling branches in no fixed order. On SQLite a branch that rebuilds `cases` or
`messages` in batch mode (0030, 0040, 0050) drops the FTS triggers that 0035 made, when it happens to
run after 0035; search then silently finds nothing new. This merge runs after all of them, creates
any trigger that is missing from 0035's own statements (no copy to drift) and rebuilds the indexes.
A migration after this one that rebuilds those tables must do the same (tests/search guards it).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from pathlib import Path

from alembic import op

revision: str = "0060_one_head"
down_revision: str | Sequence[str] | None = (
    "0030_due_order",
    "0035_search",
    "0040_insights",
    "0050_team_settings",
    "0055_desk_links",
)
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _search_statements() -> list[str]:
    """0035's SQLite statements, read from that migration itself."""
    spec = importlib.util.spec_from_file_location("_search_0035", Path(__file__).with_name("0035_search.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return list(module.SQLITE_UP)


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return  # PostgreSQL keeps its expression indexes through ALTER TABLE
    for statement in _search_statements():
        if statement.startswith("CREATE TRIGGER "):
            op.execute(statement.replace("CREATE TRIGGER ", "CREATE TRIGGER IF NOT EXISTS ", 1))
        elif "'rebuild'" in statement:
            op.execute(statement)


def downgrade() -> None:
    """Nothing to undo: the triggers belong to 0035."""
