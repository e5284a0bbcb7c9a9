"""The Huey instance: SQLite file in the data dir by default, Redis when ACCORD_QUEUE_URL=redis://..."""

from __future__ import annotations

import os

from huey import Huey, RedisHuey, SqliteHuey

from accord.config import get_settings


def make_huey() -> Huey:
    """Build the queue from settings; ACCORD_QUEUE_NAME separates several deployments on one Redis."""
    settings = get_settings()
    name = os.environ.get("ACCORD_QUEUE_NAME", "accord")
    url = settings.queue_url
    if url and url.startswith(("redis://", "rediss://", "unix://")):
        return RedisHuey(name, url=url)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return SqliteHuey(name, filename=str((settings.data_dir / "queue.db").resolve()))


huey = make_huey()
