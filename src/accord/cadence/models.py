"""Case clocks, reminders, client confirmations and follow-ups (P6, P22, P23)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from accord.clock import now
from accord.db import AwareDateTime, Base


class CadenceSettings(Base):
    """A workspace's working hours, holidays and webhook target."""

    __tablename__ = "cadence_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id"), unique=True)
    timezone: Mapped[str] = mapped_column(String(60), default="UTC")
    day_start: Mapped[str] = mapped_column(String(5), default="09:00")
    day_end: Mapped[str] = mapped_column(String(5), default="17:00")
    weekdays: Mapped[list[int]] = mapped_column(JSON, default=lambda: [0, 1, 2, 3, 4])
    holidays: Mapped[list[str]] = mapped_column(JSON, default=list)
    webhook_url: Mapped[str] = mapped_column(String(500), default="")


class CaseClock(Base):
    """A case's deadlines in indexed `*_due_at` columns, which the sweep queries (rule 6)."""

    __tablename__ = "case_clocks"
    __table_args__ = (
        Index(
            "ix_case_clocks_next_check",
            "next_check_at",
            sqlite_where=text("next_check_at IS NOT NULL"),
            postgresql_where=text("next_check_at IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), unique=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id"), index=True)
    acknowledge_due_at: Mapped[datetime | None] = mapped_column(AwareDateTime, nullable=True, index=True)
    update_due_at: Mapped[datetime | None] = mapped_column(AwareDateTime, nullable=True, index=True)
    resolve_due_at: Mapped[datetime | None] = mapped_column(AwareDateTime, nullable=True, index=True)
    follow_up_due_at: Mapped[datetime | None] = mapped_column(AwareDateTime, nullable=True, index=True)
    paused_at: Mapped[datetime | None] = mapped_column(AwareDateTime, nullable=True)
    last_update_at: Mapped[datetime | None] = mapped_column(AwareDateTime, nullable=True)
    refreshed_at: Mapped[datetime] = mapped_column(AwareDateTime, default=now)
    # The next warning or deadline not yet handled; the sweep claims it and moves it on (NULL: none).
    next_check_at: Mapped[datetime | None] = mapped_column(AwareDateTime, nullable=True)


class Reminder(Base):
    """One reminder or escalation; the unique key makes a second insert fail, so none is sent twice."""

    __tablename__ = "reminders"
    __table_args__ = (Index("ix_reminders_case_id_level", "case_id", "level"),)  # P24: SLA breaches

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    level: Mapped[str] = mapped_column(String(20))
    due_at: Mapped[datetime] = mapped_column(AwareDateTime)
    recipients: Mapped[list[int]] = mapped_column(JSON, default=list)
    draft: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(AwareDateTime, default=now, index=True)


class Confirmation(Base):
    """A single-use request for the client's "yes, resolved" (P23); `used_at` is set on use."""

    __tablename__ = "confirmations"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    nonce: Mapped[str] = mapped_column(String(64), unique=True)
    channel: Mapped[str] = mapped_column(String(10), default="link")
    created_at: Mapped[datetime] = mapped_column(AwareDateTime, default=now)
    used_at: Mapped[datetime | None] = mapped_column(AwareDateTime, nullable=True)
    answer: Mapped[str | None] = mapped_column(String(10), nullable=True)
    comment: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)


class FollowUp(Base):
    """The check-in after resolution: how we handled it, rated 1-5 (P23, ISO 10002)."""

    __tablename__ = "follow_ups"
    __table_args__ = (
        Index(
            "ix_follow_ups_pending",
            "scheduled_at",
            sqlite_where=text("sent_at IS NULL"),
            postgresql_where=text("sent_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    nonce: Mapped[str] = mapped_column(String(64), unique=True)
    scheduled_at: Mapped[datetime] = mapped_column(AwareDateTime, index=True)
    sent_at: Mapped[datetime | None] = mapped_column(AwareDateTime, nullable=True)
    question: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[datetime | None] = mapped_column(AwareDateTime, nullable=True)
    rating: Mapped[int | None] = mapped_column(Integer, nullable=True)
    answer: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
