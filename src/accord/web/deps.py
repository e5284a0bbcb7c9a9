"""Request dependencies for pages: who is looking, and a unit of work committed before the reply."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fastapi import Depends
from sqlalchemy.orm import Session

from accord.api.deps import get_db
from accord.api.deps import get_web_caller as web_caller

__all__ = ["web_caller", "web_db"]


def _committed(db: Session = Depends(get_db)) -> Iterator[Session]:
    """The request's session (shared with the caller), committed before the response is sent.

    `get_db` commits after the response has gone out; a browser following a redirect could then
    read the page before the change is saved. An error in the handler skips this commit and
    `get_db` rolls back as usual.
    """
    yield db
    db.commit()


web_db: Any = Depends(_committed, scope="function")
