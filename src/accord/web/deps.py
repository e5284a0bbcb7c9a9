"""Request dependencies for pages: who is looking, and a unit of work committed before the reply."""

from __future__ import annotations

from typing import Any

from accord.http.deps import db_session
from accord.http.deps import get_web_caller as web_caller

__all__ = ["web_caller", "web_db"]

web_db: Any = db_session
"""The request's session, committed before the response is sent (a redirect target sees the change)."""
