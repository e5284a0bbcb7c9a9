"""The one seam for time: every timestamp in Accord comes from `now()` so tests can freeze it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

_frozen: datetime | None = None


def now() -> datetime:
    """Return the current time as an aware UTC datetime (or the frozen time in tests)."""
    if _frozen is not None:
        return _frozen
    return datetime.now(UTC)


def ensure_aware(value: datetime) -> datetime:
    """Treat naive datetimes (SQLite returns them) as UTC so comparisons never mix kinds."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


@contextmanager
def frozen(at: datetime) -> Iterator[FrozenClock]:
    """Freeze `now()` at `at` for the duration of the block; the handle can advance it."""
    global _frozen
    previous = _frozen
    _frozen = ensure_aware(at)
    try:
        yield FrozenClock()
    finally:
        _frozen = previous


class FrozenClock:
    """Handle returned by `frozen()` so a test can move time forward."""

    def advance(self, delta: timedelta) -> datetime:
        """Move the frozen time forward by `delta` and return the new time."""
        global _frozen
        assert _frozen is not None, "clock is not frozen"
        _frozen = _frozen + delta
        return _frozen

    def set(self, at: datetime) -> datetime:
        """Jump the frozen time to `at`."""
        global _frozen
        _frozen = ensure_aware(at)
        return _frozen
