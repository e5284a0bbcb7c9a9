"""The triage sweep: read, compute outside any transaction, then one short write per message.

Triage takes tens of milliseconds per message; done inside one transaction it held SQLite's write lock
for the whole batch (35 s for 100 messages) and every API write waited, then failed. Here each
transaction is a read or a single message's write, so other writers wait milliseconds. A message the
models cannot read is marked failed with the reason (shown on the case) and never retried by the sweep,
so one bad mail cannot stall the rest (issue 16 finding 6, issue 17 item 8).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError

from accord.db import session_scope
from accord.triage import service as triage

log = logging.getLogger("accord.jobs.triage")


@dataclass
class SweepResult:
    """What one sweep did, and the longest write it made (seconds)."""

    triaged: int = 0
    failed: int = 0
    longest_write_s: float = 0.0


def _write_one(item: triage.PendingText, outcome: object, result: SweepResult) -> None:
    started = time.monotonic()
    try:
        with session_scope() as db:
            if isinstance(outcome, Exception):
                triage.mark_failed(
                    db,
                    message_id=item.message_id,
                    case_id=item.case_id,
                    reason=triage.failure_reason(outcome),
                )
                result.failed += 1
            else:
                assert isinstance(outcome, dict)
                triage.save_result(db, item=item, result=outcome)
                result.triaged += 1
    except IntegrityError:  # another worker stored this message's result first: nothing to do
        pass
    result.longest_write_s = max(result.longest_write_s, time.monotonic() - started)


def run_triage_sweep(*, limit: int = 500) -> SweepResult:
    """Triage up to `limit` pending inbound messages, oldest first, one short write each."""
    with session_scope() as db:
        ids = triage.pending_ids(db, limit=limit)
    return triage_messages(ids)


def triage_messages(ids: list[int]) -> SweepResult:
    """Triage these messages now, one short write each (the New case page runs this after its reply,
    so triage shows in seconds instead of at the next minute's sweep); triaged ones are skipped."""
    result = SweepResult()
    for message_id in ids:
        with session_scope() as db:  # reads only: takes no write lock
            item = triage.read_pending(db, message_id=message_id)
        if item is None:
            continue
        outcome = triage.score(item)  # the slow part, with no transaction open
        if isinstance(outcome, Exception):
            log.warning("triage of message %s failed: %s", message_id, triage.failure_reason(outcome))
        _write_one(item, outcome, result)
    return result
