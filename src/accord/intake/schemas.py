"""Pydantic views and inputs for messages."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class AttachmentOut(BaseModel):
    """A kept attachment: download it signed in from /cases/{ref}/attachments/{id}."""

    id: int
    filename: str
    content_type: str
    size: int
    sha256: str
    stored: bool
    problem: str


class MessageOut(BaseModel):
    """A message as the API shows it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    direction: str
    channel: str
    kind: str = "message"
    sender: str
    to: str = ""
    subject: str
    body: str
    state: str = "received"
    state_reason: str = ""
    email_message_id: str | None
    in_reply_to: str | None = None
    parse_error: str
    created_at: datetime
    attachments: list[AttachmentOut] = []


class MessageIn(BaseModel):
    """An inbound message recorded by hand or by an integration."""

    channel: str = "email"
    sender: str = Field(default="", max_length=320)
    subject: str = Field(default="", max_length=500)
    body: str = Field(min_length=1, max_length=100_000)


class ReceivedOut(BaseModel):
    """Where the email went and what was wrong with it, if anything."""

    message_id: int
    case: str
    problems: str


class MoveIn(BaseModel):
    """The client an Unmatched case belongs to (name or id)."""

    client: str = Field(min_length=1, max_length=200)


class MovedOut(BaseModel):
    """Where the case is now."""

    case: str
    client: str
