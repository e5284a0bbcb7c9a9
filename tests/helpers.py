"""Plain `create_*` helpers and named personas for tests (no factories, no magic)."""

from __future__ import annotations

import itertools
from typing import Any

from sqlalchemy.orm import Session

from accord.cases import service as cases
from accord.cases.models import Case
from accord.clients import service as clients
from accord.clients.models import Client
from accord.users import service as users
from accord.users.models import User, Workspace

_seq = itertools.count(1)


def create_workspace(db: Session, slug: str = "default") -> Workspace:
    """The workspace named `slug` (created on first use)."""
    return users.ensure_workspace(db, slug=slug, name=slug.title())


def create_user(db: Session, workspace: Workspace, *, name: str, role: str) -> User:
    """A team member with a unique email."""
    email = f"{name.split()[0].lower()}.{next(_seq)}@{workspace.slug}.example"
    return users.add_user(db, actor=None, workspace=workspace, name=name, email=email, role=role)[0]


def create_owner(db: Session, workspace: Workspace) -> User:
    """Olivia, who owns the business."""
    return create_user(db, workspace, name="Olivia Owner", role="owner")


def create_agent(db: Session, workspace: Workspace) -> User:
    """Adam, an account agent."""
    return create_user(db, workspace, name="Adam Agent", role="agent")


def create_viewer(db: Session, workspace: Workspace) -> User:
    """Vera, who may only look."""
    return create_user(db, workspace, name="Vera Viewer", role="viewer")


def create_client(db: Session, workspace: Workspace, **overrides: Any) -> Client:
    """Acme Dental, a key client worth 3,000 a month (or whatever overrides say)."""
    fields: dict[str, Any] = {
        "name": f"Acme Dental {next(_seq)}",
        "email_domains": ["acme.example"],
        "monthly_value": 3000,
        "tier": "key",
        "expectations": "Changes live within 5 working days.",
        "termination_terms": "60 days' written notice.",
    }
    fields.update(overrides)
    return clients.add_client(db, actor=None, workspace_id=workspace.id, **fields)


def create_case(db: Session, client: Client, actor: User | None = None, **overrides: Any) -> Case:
    """A fresh case for `client`."""
    fields: dict[str, Any] = {"title": "Invoice charged twice", "severity": 2, "category": "billing"}
    fields.update(overrides)
    return cases.open_case(db, actor=actor, client=client, **fields)


def event_kinds(db: Session, case: Case) -> list[str]:
    """The kinds of the case's timeline events, oldest first."""
    return [e.kind for e in cases.list_events(db, actor=None, case=case)]
