"""The way out (P20, P21): when to show it, and the checklist that ends a relationship by the contract.

Pure: the service passes in the approach recorded on the case, the client's toxic flag and status,
and the contract's termination terms.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# P21: end it by the contract, in this order; each item is ticked by the owner when done.
CHECKLIST: tuple[tuple[str, str], ...] = (
    ("notice", "Give notice as the termination terms require (period, form, address)."),
    ("final_invoice", "Send the final invoice: work done up to the end date, credits already agreed."),
    ("files", "Hand over the client's files and deliverables."),
    ("access", "Hand over or revoke access: accounts, passwords, domains, repositories."),
    ("last_message_drafted", "Draft the last message: the end date, what happens next, no blame (P16, P17)."),
    ("last_message_coached", "Run the coach on the last message and fix what it flags before sending."),
)
CHECKLIST_IDS = tuple(item for item, _ in CHECKLIST)


@dataclass(frozen=True)
class ExitPlan:
    """Why the way out is shown, the contract's terms, and the checklist (P20, P21)."""

    show: bool
    reasons: list[str] = field(default_factory=list)
    termination_terms: str = ""
    checklist: list[tuple[str, str]] = field(default_factory=list)
    ended: bool = False
    ended_reason: str = ""


def exit_plan(
    *, approach: str | None, toxic: bool, client_status: str, termination_terms: str, ended_reason: str = ""
) -> ExitPlan:
    """P18 `compete` or a toxic client shows the exit; an ended client shows how and why it ended."""
    reasons = []
    if approach == "compete":
        reasons.append("The recorded approach is 'compete': be ready to end the relationship (P18).")
    if toxic:
        reasons.append("The client is marked toxic: the relationship may be ended rather than saved (P21).")
    if client_status == "ended":
        reasons.append("The relationship has ended; new work needs an owner to reopen it.")
    terms = termination_terms.strip() or "No termination terms are recorded on the client; read the contract."
    return ExitPlan(bool(reasons), reasons, terms, list(CHECKLIST), client_status == "ended", ended_reason)


def missing_items(done: list[str]) -> list[str]:
    """The checklist items not ticked yet, in order."""
    return [item for item in CHECKLIST_IDS if item not in set(done)]
