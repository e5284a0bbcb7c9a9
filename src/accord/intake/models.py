"""Messages exchanged with clients, on any channel, inbound or outbound (P3)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from accord.clock import now
from accord.db import AwareDateTime, Base

DIRECTIONS = ("inbound", "outbound")


class Message(Base):
    """One message; raw parsing problems are kept in `parse_error`, never dropped (rule 8)."""

    __tablename__ = "messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    direction: Mapped[str] = mapped_column(String(10), default="inbound")
    channel: Mapped[str] = mapped_column(String(20), default="email")
    sender: Mapped[str] = mapped_column(String(320), default="")
    recipients: Mapped[str] = mapped_column(Text, default="")
    subject: Mapped[str] = mapped_column(String(500), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    email_message_id: Mapped[str | None] = mapped_column(String(500), nullable=True, index=True)
    in_reply_to: Mapped[str | None] = mapped_column(String(500), nullable=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    parse_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(AwareDateTime, default=now, index=True)
