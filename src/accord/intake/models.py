"""Messages exchanged with clients, on any channel, inbound or outbound, and their attachments (P3)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from accord.clock import now
from accord.db import AwareDateTime, Base

DIRECTIONS = ("inbound", "outbound")
# message: a person wrote it; auto_reply/bounce: machine noise that never opens, reopens or is triaged;
# thanks: a short thank-you that is shown but does not reopen a resolved case (P23).
KINDS = ("message", "auto_reply", "bounce", "thanks")
TLS_MODES = ("ssl", "starttls", "none")


class Message(Base):
    """One message; raw parsing problems are kept in `parse_error`, never dropped (rule 8).

    `case_id` is empty only for machine noise (an auto-reply or bounce that answers nothing we know):
    it waits in the Unmatched queue instead of opening a case. Outbound email links its outbox row,
    whose state (queued, sent, failed) is the message's delivery state.
    """

    __tablename__ = "messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int | None] = mapped_column(ForeignKey("workspaces.id"), nullable=True, index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), nullable=True, index=True)
    direction: Mapped[str] = mapped_column(String(10), default="inbound")
    channel: Mapped[str] = mapped_column(String(20), default="email")
    kind: Mapped[str] = mapped_column(String(20), default="message")
    sender: Mapped[str] = mapped_column(String(320), default="")
    recipients: Mapped[str] = mapped_column(Text, default="")
    subject: Mapped[str] = mapped_column(String(500), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    email_message_id: Mapped[str | None] = mapped_column(String(500), nullable=True, index=True)
    in_reply_to: Mapped[str | None] = mapped_column(String(500), nullable=True)
    references: Mapped[str] = mapped_column(Text, default="")
    outbox_id: Mapped[int | None] = mapped_column(ForeignKey("outbox.id"), nullable=True, index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    parse_error: Mapped[str] = mapped_column(Text, default="")
    coach_score: Mapped[int | None] = mapped_column(Integer, nullable=True)  # a sent reply's 0-100 (P17)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime, default=now, index=True)


class Attachment(Base):
    """A file that came with an email, kept on disk under the data directory by its sha256 (rule 8)."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    stored: Mapped[bool] = mapped_column(Boolean, default=True)
    problem: Mapped[str] = mapped_column(Text, default="")


class Mailbox(Base):
    """An IMAP folder the worker polls every minute (P3); the password is never shown back."""

    __tablename__ = "mailboxes"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id"), index=True)
    host: Mapped[str] = mapped_column(String(255))
    port: Mapped[int] = mapped_column(Integer)
    user: Mapped[str] = mapped_column(String(320))
    password: Mapped[str] = mapped_column(String(500))
    folder: Mapped[str] = mapped_column(String(255), default="INBOX")
    tls: Mapped[str] = mapped_column(String(10), default="ssl")
    last_polled_at: Mapped[datetime | None] = mapped_column(AwareDateTime, nullable=True)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(AwareDateTime, default=now)
