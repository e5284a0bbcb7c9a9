"""Attachments on disk under the data directory, named by their sha256 (rule 8: kept, never rendered).

Files are written before the row and named by content, so a rolled-back import leaves at most an
unreferenced file that the same mail reuses when it comes again; nothing is lost or duplicated.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from sqlalchemy.orm import Session

from accord.config import get_settings
from accord.intake import email as parsing
from accord.intake.models import Attachment, Message


def storage_dir() -> Path:
    """Where attachment files live: <data dir>/attachments."""
    return get_settings().data_dir / "attachments"


def path_of(sha256: str) -> Path:
    """The file of one stored attachment (two-level fan-out keeps folders small)."""
    return storage_dir() / sha256[:2] / sha256


def _write(data: bytes, sha256: str) -> None:
    target = path_of(sha256)
    if target.exists():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(f".{os.getpid()}.part")
    with partial.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    partial.replace(target)  # atomic: a reader never sees half a file


def keep_attachments(db: Session, *, message: Message, parts: list[parsing.Attachment]) -> list[str]:
    """Store each part (size limit from settings); returns the problems to list on the message."""
    limit, problems = get_settings().max_attachment_bytes, []
    for part in parts:
        sha256 = hashlib.sha256(part.data).hexdigest()
        row = Attachment(
            message_id=message.id,
            filename=part.filename[:200],
            content_type=part.content_type,
            size=part.size,
            sha256=sha256,
            stored=part.size <= limit,
            problem="",
        )
        if row.stored:
            _write(part.data, sha256)
        else:
            row.problem = f"{part.filename} is {part.size} bytes, over the {limit}-byte limit; not kept."
            problems.append(row.problem)
        db.add(row)
    db.flush()
    return problems


def read_attachment(row: Attachment) -> bytes | None:
    """The stored bytes, or None when the file was over the limit or is missing."""
    target = path_of(row.sha256)
    return target.read_bytes() if row.stored and target.is_file() else None
