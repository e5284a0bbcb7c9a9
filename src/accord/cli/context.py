"""What every CLI command needs: a unit of work, the workspace and who is acting."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import typer
from pydantic import BaseModel
from rich.console import Console
from sqlalchemy.orm import Session

from accord.config import get_settings
from accord.db import session_scope
from accord.errors import NotFound
from accord.users import service as users
from accord.users.models import User, Workspace

console = Console()
err_console = Console(stderr=True)


@dataclass
class Ctx:
    """A CLI unit of work."""

    db: Session
    workspace: Workspace
    actor: User | None


_acting_as: dict[str, str | None] = {"email": None}


def set_acting_as(email: str | None) -> None:
    """Remember the global --as option."""
    _acting_as["email"] = email


@contextmanager
def unit_of_work() -> Iterator[Ctx]:
    """Open a transaction on the configured workspace, acting as --as or the first owner."""
    with session_scope() as db:
        workspace = users.find_workspace(db, slug=get_settings().workspace)
        if workspace is None:
            raise NotFound("No workspace yet: run `accord init` (or `make run`) first.")
        email = _acting_as["email"]
        actor = (
            users.get_user_by_email(db, workspace_id=workspace.id, email=email)
            if email
            else users.default_actor(db, workspace_id=workspace.id)
        )
        yield Ctx(db=db, workspace=workspace, actor=actor)


def print_json(value: Any) -> None:
    """Print models or plain data as JSON on stdout."""
    typer.echo(json.dumps(_plain(value), indent=2, default=str))


def _plain(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value
