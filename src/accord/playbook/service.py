"""Playbook verbs: which plan applies to a workspace, and installing a workspace's own (P2).

A case's step runs and gates live in `cases.steps`; advice on a case in `coach.advice` (both sit above).
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from accord.clock import now
from accord.config import get_settings
from accord.playbook import loader, repository
from accord.playbook.definition import Playbook
from accord.playbook.models import WorkspacePlaybook
from accord.users.access import ActorLike, require_role


def active_playbook(db: Session | None = None, *, workspace_id: int | None = None) -> Playbook:
    """The workspace's installed playbook, else ACCORD_PLAYBOOK_PATH, else the default (P2)."""
    if db is not None and workspace_id is not None:
        row = repository.latest_workspace_playbook(db, workspace_id)
        if row is not None:
            return loader.cached_parse(row.source)
    path = get_settings().playbook_path
    if path is not None:
        return loader.cached_file(str(path), _mtime(path))
    return loader.default_playbook()


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def install_playbook(
    db: Session, *, actor: ActorLike | None, workspace_id: int, source: str
) -> WorkspacePlaybook:
    """Replace (or, with `extends: default`, extend) the workspace's playbook; owners only."""
    require_role(actor, ("owner",), "change the playbook")
    playbook = loader.parse_playbook(source, source_name="new playbook")
    row = WorkspacePlaybook(
        workspace_id=workspace_id,
        version=playbook.version,
        source=source,
        installed_by_id=None if actor is None else actor.id,
        created_at=now(),
    )
    db.add(row)
    db.flush()
    return row
