"""Per-case step runs of the playbook, and workspace playbooks that replace or extend the default."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from accord.clock import now
from accord.db import AwareDateTime, Base

STEP_STATES = ("open", "done", "skipped")


class StepRun(Base):
    """One playbook step on one case: open, done (with notes) or skipped (with a reason)."""

    __tablename__ = "step_runs"
    __table_args__ = (UniqueConstraint("case_id", "step_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    step_id: Mapped[str] = mapped_column(String(60))
    title: Mapped[str] = mapped_column(String(200))
    phase: Mapped[str] = mapped_column(String(30))
    position: Mapped[int] = mapped_column(Integer, default=0)
    required_before: Mapped[str | None] = mapped_column(String(30), nullable=True)
    playbook_version: Mapped[str] = mapped_column(String(40), default="")
    state: Mapped[str] = mapped_column(String(10), default="open", index=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    skip_reason: Mapped[str] = mapped_column(Text, default="")
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    done_at: Mapped[datetime | None] = mapped_column(AwareDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime, default=now)


class WorkspacePlaybook(Base):
    """A workspace's own playbook text (a replacement, or `extends: default`); the newest row wins."""

    __tablename__ = "playbooks"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id"), index=True)
    version: Mapped[str] = mapped_column(String(40))
    source: Mapped[str] = mapped_column(Text)
    installed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime, default=now)
