"""The case lifecycle as a pure table; an illegal move raises Conflict naming what is allowed."""

from __future__ import annotations

from accord.errors import Conflict

STATUSES = (
    "new",
    "acknowledged",
    "preparing",
    "in_conversation",
    "resolution_proposed",
    "awaiting_confirmation",
    "resolved",
    "closed",
    "escalated",
    "on_hold",
    "reopened",
)

# P6: acknowledge first; P9: prepare before engaging; P23: only the client's "yes" resolves.
# escalated = handed up to the owner/boss (P7); on_hold = paused for legal review (P11).
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "new": ("acknowledged", "escalated", "on_hold"),
    "acknowledged": ("preparing", "escalated", "on_hold"),
    "preparing": ("in_conversation", "escalated", "on_hold"),
    "in_conversation": ("resolution_proposed", "preparing", "escalated", "on_hold"),
    "resolution_proposed": ("awaiting_confirmation", "in_conversation", "escalated", "on_hold"),
    "awaiting_confirmation": ("resolved", "in_conversation", "on_hold"),
    "resolved": ("closed", "reopened"),
    "closed": ("reopened",),
    "reopened": ("preparing", "in_conversation", "escalated", "on_hold"),
    "escalated": ("acknowledged", "preparing", "in_conversation", "on_hold"),
    "on_hold": ("preparing", "in_conversation", "escalated"),
}

# P23: the problem is solved when the client says so. These statuses are reached only through a
# recorded client confirmation (`cases.service.resolve_case`, called by cadence), never a plain move.
CONFIRMATION_ONLY = ("resolved",)

OPEN_STATUSES = tuple(s for s in STATUSES if s not in ("resolved", "closed"))


def allowed_next(status: str) -> tuple[str, ...]:
    """The statuses a case in `status` may move to."""
    return TRANSITIONS.get(status, ())


def movable_next(status: str) -> tuple[str, ...]:
    """The statuses a person may move a case to directly (P23: not to resolved)."""
    return tuple(s for s in allowed_next(status) if s not in CONFIRMATION_ONLY)


def check_transition(current: str, target: str) -> None:
    """Raise Conflict unless `current -> target` is in the table."""
    if target not in STATUSES:
        raise Conflict(
            f"Unknown status '{target}'. Known statuses: {', '.join(STATUSES)}.",
            code="unknown_status",
        )
    allowed = allowed_next(current)
    if target not in allowed:
        raise Conflict(
            f"A case that is {current} cannot move to {target}. "
            f"Allowed next: {', '.join(allowed) or 'none'}.",
            code="illegal_transition",
            detail={"from": current, "to": target, "allowed": list(allowed)},
        )
