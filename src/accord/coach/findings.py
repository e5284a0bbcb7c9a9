"""The coach's vocabulary: a Finding in a reply and the case facts the checks may use (no DB)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

SEVERITIES = ("info", "warn", "block")
FAULTS = ("unknown", "ours", "client", "shared", "none")
LEGAL_PENDING = ("required", "in_progress")


@dataclass(frozen=True)
class Finding:
    """One thing to change in a reply: which rule, how serious, where, why and a rewrite."""

    rule: str
    severity: str
    start: int
    end: int
    text: str
    message: str
    suggestion: str = ""
    confidence: float | None = None  # 0-1 from the calibrated judge; None for rules it does not judge

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON surfaces."""
        return asdict(self)


# What a model line says where the client's concern is unknown (a reply checked outside a case, or a case
# with no client message yet): a slot the writer fills, never a stand-in phrase that reads as a typo.
CONCERN_SLOT = "[what happened to them, in your words]"


@dataclass
class CaseContext:
    """What the coach knows about the case a reply belongs to (P11, P13, P16, P20)."""

    fault: str = "unknown"
    legal_review: str = "not_needed"
    client_message: str = ""
    client_name: str = ""
    contact_name: str = ""
    concern: str = ""
    offer: str = ""
    next_update: datetime | str | None = None
    spokesperson: str = ""
    case_ref: str = ""

    @property
    def legal_pending(self) -> bool:
        """A legal review is asked for or running, so admissions must wait (P11)."""
        return self.legal_review in LEGAL_PENDING


def score(findings: list[Finding]) -> int:
    """0-100: a clean reply scores 100; each block costs 30, each warning 10, each note 2."""
    cost = {"block": 30, "warn": 10, "info": 2}
    return max(0, 100 - sum(cost.get(f.severity, 0) for f in findings))
