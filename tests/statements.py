"""Count the SQL statements a piece of work sends, to show it does not grow with the data (issue 23)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, event


@contextmanager
def statements(engine: Engine) -> Iterator[list[str]]:
    """Every statement sent through `engine` inside the block, in order."""
    sent: list[str] = []

    def record(_conn: Any, _cursor: Any, sql: str, *_args: Any) -> None:
        sent.append(" ".join(sql.split()))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", record)


@contextmanager
def statements_with_params(engine: Engine) -> Iterator[list[tuple[str, Any]]]:
    """Every statement sent through `engine` inside the block with its parameters (to EXPLAIN it)."""
    sent: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, sql: str, params: Any, *_args: Any) -> None:
        sent.append((sql, params))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", record)


def writes(sent: list[str]) -> list[str]:
    """The statements that write."""
    return [s for s in sent if s.split(" ", 1)[0].upper() in ("INSERT", "UPDATE", "DELETE")]
