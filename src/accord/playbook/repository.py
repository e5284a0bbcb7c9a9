"""All playbook queries: step runs of a case, a workspace's installed playbook."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.playbook.models import StepRun, WorkspacePlaybook


def step_runs_of(db: Session, case_id: int) -> list[StepRun]:
    """A case's step runs in playbook order."""
    stmt = select(StepRun).where(StepRun.case_id == case_id).order_by(StepRun.position, StepRun.id)
    return list(db.scalars(stmt))


def step_run(db: Session, case_id: int, step_id: str) -> StepRun | None:
    """One step run of a case by the step's id."""
    stmt = select(StepRun).where(StepRun.case_id == case_id, StepRun.step_id == step_id)
    return db.scalars(stmt).first()


def latest_workspace_playbook(db: Session, workspace_id: int) -> WorkspacePlaybook | None:
    """The workspace's newest installed playbook, if it has one."""
    stmt = (
        select(WorkspacePlaybook)
        .where(WorkspacePlaybook.workspace_id == workspace_id)
        .order_by(WorkspacePlaybook.id.desc())
        .limit(1)
    )
    return db.scalars(stmt).first()
