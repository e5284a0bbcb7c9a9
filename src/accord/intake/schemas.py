"""Pydantic views and inputs for messages."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class MessageOut(BaseModel):
    """A message as the API shows it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    direction: str
    channel: str
    sender: str
    subject: str
    body: str
    email_message_id: str | None
    parse_error: str
    created_at: datetime


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
