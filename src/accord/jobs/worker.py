"""Running consumers: one embedded in `accord serve`, or any number via `accord worker`."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from huey.consumer import Consumer

from accord.cadence.service import refresh_changed_clocks
from accord.db import session_scope
from accord.jobs import tasks
from accord.jobs.mail import send_queued

MAIL_EVERY_S = 5.0
log = logging.getLogger("accord.jobs.mail")


class MailPump(threading.Thread):
    """Delivers queued mail every few seconds beside the consumer: a reply reaches the client in
    seconds, not at the next minute's sweep (P22). Rows are claimed one by one, so several pumps
    (one per worker) never send the same mail twice. It also stores the deadlines of cases that just
    changed, so a new case is placed in the queue's due order in seconds (P6), not at the next minute."""

    def __init__(self, every_s: float = MAIL_EVERY_S) -> None:
        super().__init__(name="accord-mail", daemon=True)
        self.every_s = every_s
        self.stopped = threading.Event()

    def run(self) -> None:
        """Send what is due, then wait; a failing round is logged and the next one tries again."""
        while not self.stopped.wait(self.every_s):
            try:
                send_queued()
                with session_scope() as db:
                    refresh_changed_clocks(db)
            except Exception:  # the database may be briefly away; the next round retries
                log.exception("mail delivery round failed; retrying in %.0f s", self.every_s)


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
    pump = MailPump()
    consumer.start()
    pump.start()
    try:
        yield consumer
    finally:
        pump.stopped.set()
        consumer.stop(graceful=False)


def run_worker(workers: int = 1, *, periodic: bool = True) -> None:
    """Run a standalone consumer in the foreground until interrupted (`accord worker`).

    `periodic=False` runs queued jobs only and leaves the minute sweep to other consumers (a fleet may keep
    one scheduler; the sweep's unique reminder keys make several schedulers safe too)."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    consumer = tasks.huey.create_consumer(workers=workers, worker_type="thread", periodic=periodic)
    pump = MailPump()
    pump.start()
    try:
        consumer.run()
    finally:
        pump.stopped.set()
