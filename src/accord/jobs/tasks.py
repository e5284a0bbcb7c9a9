"""Periodic and on-demand jobs. Every job is idempotent: running it twice, or on two workers, is safe."""

from __future__ import annotations

import logging
import time
from typing import Any

from huey import crontab

from accord.cadence.service import SweepResult, sweep_due
from accord.clock import now
from accord.coach.service import draft_reply
from accord.config import get_settings
from accord.db import session_scope
from accord.insights.mailing import mail_monthly_review_for
from accord.jobs.mail import poll_mailboxes, send_queued
from accord.jobs.queue import huey
from accord.jobs.triage_sweep import run_triage_sweep
from accord.offers.service import expire_offers

log = logging.getLogger("accord.jobs")


def _triage_pending() -> int:
    """Triage stored inbound messages that have no triage yet (P4, P5): compute outside transactions,
    one short write per message (`accord.jobs.triage_sweep`), so writers never wait behind it.

    Imported directly, not looked up by name: a renamed verb must fail loudly, not skip triage.
    """
    try:
        return run_triage_sweep().triaged
    except Exception:  # its own transactions: a triage failure must not undo or block reminders
        log.exception("triage of pending messages failed; it will be retried on the next sweep")
        return 0


SWEEP_BATCH = 20  # a batch holds the write lock: keep it well under a second
MAX_BATCHES = 250


def _sweep_batches(hold_s: float) -> SweepResult:
    """Clocks and reminders in short transactions of at most SWEEP_BATCH claimed rows each, so the
    sweep never holds SQLite's write lock for long (issue 23); with nothing due it is one quick read.

    `hold_s` keeps the first transaction open that long before committing; the crash tests use it to
    kill a worker mid-job and show the rollback loses nothing and duplicates nothing.
    """
    total = SweepResult()
    for batch in range(MAX_BATCHES):
        with session_scope() as db:
            result = sweep_due(db, draft_reply=draft_reply, limit=SWEEP_BATCH)  # reminders carry a draft
            if hold_s and batch == 0:
                time.sleep(hold_s)
        total.refreshed += result.refreshed
        total.reminders += result.reminders
        total.follow_ups += result.follow_ups
        if not result.more:
            break
    return total


def run_sweep(hold_s: float = 0.0) -> dict[str, Any]:
    """One sweep: clocks and reminders in short batches, then delivery after commit, then triage."""
    result = _sweep_batches(hold_s)
    delivered = send_queued().sent  # one row per transaction: a crash resends at most one mail
    with session_scope() as db:
        expired = expire_offers(db)  # P19: offers past their date expire, each on the case's timeline
    triaged = _triage_pending()
    summary = {
        "refreshed": result.refreshed,
        "reminders": len(result.reminders),
        "follow_ups": result.follow_ups,
        "delivered": delivered,
        "triaged": triaged,
        "offers_expired": expired,
    }
    log.info("sweep done: %s", summary)
    return summary


@huey.periodic_task(crontab(minute="*"), retries=2, retry_delay=2)
def sweep() -> dict[str, Any]:
    """Every minute: reminders, escalations, follow-ups, the outbox and pending triage."""
    return run_sweep()


@huey.task(retries=3, retry_delay=1)
def sweep_now(hold_s: float = 0.0) -> dict[str, Any]:
    """The same sweep, on demand (tests and `accord sla sweep`)."""
    return run_sweep(hold_s)


@huey.periodic_task(crontab(minute="*"), retries=1, retry_delay=5)
def mail() -> dict[str, Any]:
    """Every minute: read every configured mailbox (P3), then deliver what is queued (P22)."""
    polled = poll_mailboxes()
    sent = send_queued()
    summary = {
        "stored": polled.stored,
        "mailbox_errors": polled.errors,
        "sent": sent.sent,
        "retrying": sent.retrying,
        "failed": len(sent.failed),
    }
    log.info("mail done: %s", summary)
    return summary


@huey.periodic_task(crontab(day="1", hour="7", minute="0"), retries=2, retry_delay=60)
def monthly_review() -> int:
    """On the first of the month: last month's conflict review to the owners, via the outbox (P24)."""
    with session_scope() as db:
        return mail_monthly_review_for(db, slug=get_settings().workspace, today=now().date())
