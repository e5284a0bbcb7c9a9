"""Forms that keep the user in place: a refused input is shown beside its field, with what was typed.

A handler runs its one service call inside `attempt(...)`: on success the change is kept; on bad input
(Invalid) or a clash (Conflict) the savepoint is rolled back, nothing is written, and the handler
re-renders the same form with the typed values and `errors` (status 422 or 409), never an error page.
Other helpers may use it too: `errors = attempt(db, lambda: ..., LABELS)`; then `if errors: ...`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from accord.cases.wording import plain_error
from accord.errors import AccordError, Conflict, Invalid

FORM = "_form"  # the key of an error that belongs to no one field (shown above the form)


def field_of(exc: AccordError, labels: dict[str, str]) -> str:
    """The form input an error is about: services name the field's label in `field` or `detail["field"]`."""
    label = exc.field or (exc.detail.get("field") if isinstance(exc.detail, dict) else None)
    return labels.get(str(label), FORM) if label else FORM


def errors_of(exc: AccordError, labels: dict[str, str]) -> dict[str, str]:
    """{input name: the sentence to show beside it}, in the user's words."""
    return {field_of(exc, labels): plain_error(exc.code, exc.detail, exc.message)}


class Outcome:
    """What `attempt` returns: the service's result, or the errors to show and the status to answer."""

    def __init__(self, result: Any = None, errors: dict[str, str] | None = None, status: int = 200) -> None:
        self.result = result
        self.errors = errors or {}
        self.status = status

    def __bool__(self) -> bool:
        return not self.errors


def attempt(db: Session, action: Callable[[], Any], labels: dict[str, str]) -> Outcome:
    """Run one service call in a savepoint; bad input or a clash rolls it back and becomes form errors."""
    savepoint = db.begin_nested()
    try:
        result = action()
    except (Invalid, Conflict) as exc:
        savepoint.rollback()
        return Outcome(errors=errors_of(exc, labels), status=exc.status)
    savepoint.commit()
    return Outcome(result=result)


def stars(text: str) -> int | None:
    """A star rating as typed: blank is None; anything but a small whole number becomes 0, which the
    service refuses with a sentence beside the field (instead of a bare 422 from the parser)."""
    text = text.strip()
    if not text:
        return None
    return int(text) if text.isdigit() and len(text) < 4 else 0
