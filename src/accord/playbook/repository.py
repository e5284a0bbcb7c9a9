"""All playbook queries: a workspace's installed playbook."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.playbook.models import WorkspacePlaybook


def latest_workspace_playbook(db: Session, workspace_id: int) -> WorkspacePlaybook | None:
    """The workspace's newest installed playbook, if it has one."""
    stmt = (
        select(WorkspacePlaybook)
        .where(WorkspacePlaybook.workspace_id == workspace_id)
        .order_by(WorkspacePlaybook.id.desc())
        .limit(1)
    )
    return db.scalars(stmt).first()
