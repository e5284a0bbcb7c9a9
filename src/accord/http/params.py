"""Bounded integer path parameters: an id beyond 64 bits is a 422, never a database overflow (500)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

from accord.db import MAX_ID

RowId = Annotated[int, Path(ge=1, le=MAX_ID, description="A row id (1 to 2**63-1).")]
"""An integer id in a URL path: `ge=1, le=2**63-1`, so out-of-range ids are refused before any query."""
