"""Running consumers: one embedded in `accord serve`, or any number via `accord worker`."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from huey.consumer import Consumer

from accord.jobs import tasks


class EmbeddedConsumer(Consumer):  # type: ignore[misc]
    """A consumer in threads of the web process; the web server keeps its own signal handlers."""

    def _set_signal_handlers(self) -> None:
        return None


@contextmanager
def embedded_consumer(workers: int = 1) -> Iterator[Consumer]:
    """Run the queue's consumer (with the periodic sweep) in background threads for the block."""
    consumer = EmbeddedConsumer(
        tasks.huey, workers=workers, worker_type="thread", periodic=True, check_worker_health=False
    )
    consumer.start()
    try:
        yield consumer
    finally:
        consumer.stop(graceful=False)


def run_worker(workers: int = 1, *, periodic: bool = True) -> None:
    """Run a standalone consumer in the foreground until interrupted (`accord worker`).

    `periodic=False` runs queued jobs only and leaves the minute sweep to other consumers (a fleet may keep
    one scheduler; the sweep's unique reminder keys make several schedulers safe too)."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    consumer = tasks.huey.create_consumer(workers=workers, worker_type="thread", periodic=periodic)
    consumer.run()
