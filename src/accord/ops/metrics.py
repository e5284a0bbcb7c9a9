"""Prometheus metrics: request latency by route template, and backlogs read from the database at scrape.

Why at scrape: queue depth, overdue clocks, the outbox, triage and mailbox errors live in the database and
in Redis, shared by every process; counting them when Prometheus asks gives the same answer whichever web
process it reaches. Each count is bounded (COUNT over at most BACKLOG_CAP rows), so a scrape stays cheap
at a million cases. Latency histograms are per process; under `accord serve --workers N` the processes
share them through PROMETHEUS_MULTIPROC_DIR, which `serve` sets.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import REGISTRY, Collector
from sqlalchemy import Select, func, or_, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from accord.cadence.models import CaseClock
from accord.clock import now
from accord.config import Settings
from accord.intake.models import Mailbox, Message
from accord.notify.models import OutboxMessage
from accord.ops.checks import queue_depth
from accord.triage.models import TriageResult

BACKLOG_CAP = 10_000
"""Counts stop here: a gauge reading 10000 means "10,000 or more" (no full COUNT on a big table)."""

REQUEST_SECONDS = Histogram(
    "accord_request_seconds",
    "Time to answer a request, by method and route template (e.g. /cases/{reference}).",
    ["method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1.0, 2.5, 5.0, 10.0),
)

CONTENT_TYPE = CONTENT_TYPE_LATEST


def _bounded(db: Session, query: Select[Any]) -> int:
    return int(db.scalar(select(func.count()).select_from(query.limit(BACKLOG_CAP).subquery())) or 0)


def backlogs(db: Session) -> dict[str, int]:
    """The database-held backlogs, each counted up to BACKLOG_CAP."""
    at = now()
    overdue = select(CaseClock.id).where(
        CaseClock.paused_at.is_(None),
        or_(
            CaseClock.acknowledge_due_at < at,
            CaseClock.update_due_at < at,
            CaseClock.resolve_due_at < at,
        ),
    )
    outbox = select(OutboxMessage.id).where(OutboxMessage.state == "pending")
    triage = select(Message.id).where(
        Message.direction == "inbound",
        Message.kind.in_(("message", "thanks")),
        Message.id.not_in(select(TriageResult.message_id)),
    )
    failing = select(Mailbox.id).where(Mailbox.last_error != "")
    return {
        "overdue_clocks": _bounded(db, overdue),
        "outbox_backlog": _bounded(db, outbox),
        "triage_backlog": _bounded(db, triage),
        "mail_poll_errors": _bounded(db, failing),
    }


_HELP = {
    "overdue_clocks": "Running case clocks with a deadline in the past (capped at 10000).",
    "outbox_backlog": "Notifications waiting to be sent (capped at 10000).",
    "triage_backlog": "Inbound client messages not yet triaged (capped at 10000).",
    "mail_poll_errors": "Mailboxes whose last poll failed (see `accord mailbox list`).",
}


class BacklogCollector(Collector):
    """Reads the backlogs and the queue depth at each scrape; -1 when the store cannot be read."""

    def __init__(self, engine: Engine, settings: Settings) -> None:
        self.engine = engine
        self.settings = settings

    def collect(self) -> Iterator[GaugeMetricFamily]:
        """One gauge per backlog, plus the queue depth."""
        try:
            with Session(self.engine) as db:
                values = backlogs(db)
        except SQLAlchemyError:
            values = dict.fromkeys(_HELP, -1)
        for name, value in values.items():
            yield GaugeMetricFamily(f"accord_{name}", _HELP[name], value=value)
        depth = queue_depth(self.settings)
        yield GaugeMetricFamily("accord_queue_depth", "Jobs waiting in the Huey queue.", value=depth)


def render(engine: Engine, settings: Settings) -> bytes:
    """The metrics page: this process's (or all processes') histograms and the shared backlogs."""
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)
        body = generate_latest(registry)
    else:
        body = generate_latest(REGISTRY)
    backlog_registry = CollectorRegistry()
    backlog_registry.register(BacklogCollector(engine, settings))
    return body + generate_latest(backlog_registry)
