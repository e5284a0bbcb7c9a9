"""A case is one conflict with one client; its timeline is the audit trail (append-only)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accord.clock import now
from accord.db import AwareDateTime, Base

KINDS = ("client_raised", "business_raised")
CHANNELS = ("email", "review", "chat", "call", "form", "manual")
FAULTS = ("unknown", "ours", "client", "shared", "none")
APPROACHES = ("avoid", "accommodate", "compete", "collaborate", "compromise")
LEGAL_REVIEW_STATES = ("not_needed", "required", "in_progress", "done")
DEFAULT_CATEGORIES = (
    "billing",
    "delay",
    "quality",
    "communication",
    "scope",
    "conduct",
    "outage",
    "other",
)


NO_DEADLINE = datetime(9999, 1, 1, tzinfo=UTC)
"""The due time of an open case with nothing due: it sorts after every real deadline."""
DUE_KINDS = ("acknowledge", "update", "resolve", "waiting")


class Case(Base):
    """One conflict: who speaks for us (P7), both views (P8), assessment (P4), legal state (P11)."""

    __tablename__ = "cases"
    __table_args__ = (
        UniqueConstraint("workspace_id", "number"),
        # P24: the insights queries select a workspace's cases by when they opened or were resolved.
        Index("ix_cases_workspace_id_created_at", "workspace_id", "created_at"),
        Index("ix_cases_workspace_id_resolved_at", "workspace_id", "resolved_at"),
        # The queue walks these in due order; closed cases have no due time, so they sit outside it.
        Index("ix_cases_queue", "workspace_id", "next_due_at", "id"),
        Index("ix_cases_owner_queue", "workspace_id", "owner_id", "next_due_at", "id"),
        Index("ix_cases_due_kind", "workspace_id", "next_due", "next_due_at", "id"),
        Index("ix_cases_listing", "workspace_id", "created_at", "id"),  # the API list, newest first
        Index(
            "ix_cases_clock_stale",
            "id",
            sqlite_where=text("clock_stale = 1"),
            postgresql_where=text("clock_stale"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="client_raised")
    channel: Mapped[str] = mapped_column(String(20), default="manual")
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(30), default="new", index=True)
    severity: Mapped[int] = mapped_column(Integer, default=2)
    category: Mapped[str] = mapped_column(String(40), default="other")
    fault: Mapped[str] = mapped_column(String(20), default="unknown")
    approach: Mapped[str | None] = mapped_column(String(20), nullable=True)
    approach_reason: Mapped[str] = mapped_column(Text, default="")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True, index=True)
    handoff_count: Mapped[int] = mapped_column(Integer, default=0)
    requested_remedy: Mapped[str] = mapped_column(Text, default="")
    client_view: Mapped[str] = mapped_column(Text, default="")
    our_view: Mapped[str] = mapped_column(Text, default="")
    impact_assessment: Mapped[str] = mapped_column(Text, default="")
    legal_review: Mapped[str] = mapped_column(String(20), default="not_needed")
    playbook_version: Mapped[str] = mapped_column(String(40), default="")
    # P24: recorded on closing, so the review learns why it happened and what we change.
    root_cause: Mapped[str] = mapped_column(Text, default="")
    what_we_change: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(AwareDateTime, default=now)  # served by ix_cases_listing
    updated_at: Mapped[datetime] = mapped_column(AwareDateTime, default=now)
    acknowledged_at: Mapped[datetime | None] = mapped_column(AwareDateTime, nullable=True)
    resolved_at: Mapped[datetime | None] = mapped_column(AwareDateTime, nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(AwareDateTime, nullable=True)
    # Kept by the cadence service (issue 23): the next deadline and what it is, for the queue's order.
    # An open case always has one (NO_DEADLINE when nothing is due); a resolved or closed case has NULL.
    next_due_at: Mapped[datetime | None] = mapped_column(AwareDateTime, nullable=True, default=None)
    next_due: Mapped[str] = mapped_column(String(12), default="", server_default="")
    # Set by every timeline event, cleared when cadence recomputes the clock: the sweep's work list.
    clock_stale: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())

    events: Mapped[list[CaseEvent]] = relationship(
        back_populates="case", order_by="CaseEvent.id", cascade="all, delete-orphan"
    )

    @property
    def reference(self) -> str:
        """The human reference people say on the phone, e.g. ACC-1042."""
        return f"ACC-{self.number}"


class CaseEvent(Base):
    """One entry of a case's timeline; never updated or deleted."""

    __tablename__ = "case_events"
    __table_args__ = (Index("ix_case_events_case_id_kind", "case_id", "kind"),)  # P24: reopen counts

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(50), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    actor_label: Mapped[str] = mapped_column(String(200), default="system")
    at: Mapped[datetime] = mapped_column(AwareDateTime, default=now)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    case: Mapped[Case] = relationship(back_populates="events")


class Note(Base):
    """An internal note on a case (never shown to the client)."""

    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime, default=now)


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
    # the timeline event that finished the step by itself (the acknowledgement sent, the client's yes)
    done_by_event_id: Mapped[int | None] = mapped_column(
        ForeignKey("case_events.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(AwareDateTime, default=now)
