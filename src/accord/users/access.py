"""Pure access rules used by every service; surfaces never decide who may do what."""

from __future__ import annotations

from typing import Protocol

from accord.errors import Forbidden, NotFound

WRITE_ROLES = ("owner", "lead", "agent")
APPROVER_ROLES = ("owner", "lead")


class ActorLike(Protocol):
    """What access checks need to know about whoever is acting."""

    id: int
    workspace_id: int
    role: str
    name: str


def require_write(actor: ActorLike | None) -> None:
    """Viewers read; everyone else may change cases. `None` is the system (jobs)."""
    if actor is not None and actor.role not in WRITE_ROLES:
        raise Forbidden(f"{actor.name} is a {actor.role} and cannot change anything.")


def require_role(actor: ActorLike | None, roles: tuple[str, ...], action: str) -> None:
    """Only the named roles may perform `action` (e.g. approving offers beyond limits)."""
    if actor is not None and actor.role not in roles:
        raise Forbidden(f"Only {' or '.join(roles)} may {action}; {actor.name} is a {actor.role}.")


def require_same_workspace(actor: ActorLike | None, workspace_id: int, what: str) -> None:
    """Objects of another workspace do not exist for the actor: 404, never 403."""
    if actor is not None and actor.workspace_id != workspace_id:
        raise NotFound(f"{what} not found.")


def actor_label(actor: ActorLike | None) -> str:
    """How the timeline names the actor."""
    return "system" if actor is None else actor.name
