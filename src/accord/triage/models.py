"""The stored triage result of one message (P4, P5)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from accord.clock import now
from accord.db import AwareDateTime, Base


class TriageResult(Base):
    """What triage said about one message, with the model version that said it."""

    __tablename__ = "triage_results"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id"), unique=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    result: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    model_version: Mapped[str] = mapped_column(String(60), default="")
    # "done", or "failed" with the reason in `error`: later sweeps skip it, the case page shows why.
    status: Mapped[str] = mapped_column(String(10), default="done", server_default="done")
    error: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(AwareDateTime, default=now)
