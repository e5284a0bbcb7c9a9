"""The offer lifecycle as a pure table (P19, P20): which verb may act on an offer in which status.

Our offers start `proposed`. The client's counter is its own row (origin "client", status `counter`)
and marks our offer `countered`: we then hold it (the client may still accept or decline it), revise
it, or withdraw it. Accepted, declined, withdrawn, superseded and expired are final.
"""

from __future__ import annotations

from accord.errors import Conflict

STATUSES = ("proposed", "countered", "counter", "accepted", "declined", "withdrawn", "superseded", "expired")
LIVE = ("proposed", "countered")

# verb -> {status it acts on: status the offer ends in}
TRANSITIONS: dict[str, dict[str, str]] = {
    "approve": {"proposed": "proposed", "countered": "countered"},
    "counter": {"proposed": "countered", "countered": "countered"},
    "revise": {"proposed": "superseded", "countered": "superseded"},
    "withdraw": {"proposed": "withdrawn", "countered": "withdrawn"},
    "accept": {"proposed": "accepted", "countered": "accepted"},
    "decline": {"proposed": "declined", "countered": "declined"},
    "expire": {"proposed": "expired", "countered": "expired"},
}
PAST = {
    "approve": "approved",
    "counter": "countered",
    "revise": "revised",
    "withdraw": "withdrawn",
    "accept": "accepted",
    "decline": "declined",
    "expire": "expired",
}


def allowed_verbs(status: str) -> tuple[str, ...]:
    """The verbs that may act on an offer in `status`."""
    return tuple(verb for verb, table in TRANSITIONS.items() if status in table)


def next_status(verb: str, status: str, *, offer_id: int) -> str:
    """The status after `verb`, or Conflict naming what may still be done with the offer."""
    table = TRANSITIONS[verb]
    if status not in table:
        allowed = ", ".join(allowed_verbs(status)) or "nothing: it is final"
        raise Conflict(f"Offer {offer_id} is {status}; it cannot be {PAST[verb]} now. Allowed: {allowed}.")
    return table[status]
