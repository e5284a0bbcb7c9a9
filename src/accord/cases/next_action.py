"""The one thing to do next on a case, and the gate that blocks it, in plain words (issue 20).

Pure: it reads the case's status, severity, legal review and steps, so the case page, call mode and
any other surface say the same thing. The order follows the process: acknowledge first (P6), prepare
before engaging (P9, P11), talk heated cases through on a call (P12, P13), propose (P19), ask the
client to confirm (P23), follow up (P23).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

HEATED = 3  # severity from which the conversation belongs on a call (P12)
LEGAL_PENDING = ("required", "in_progress")
FORWARD = ("acknowledged", "preparing", "in_conversation", "reopened", "escalated", "on_hold")


class StepLike(Protocol):
    """What the decision reads of a step (a StepRun or a GuideStep); read-only."""

    @property
    def step_id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def phase(self) -> str: ...
    @property
    def state(self) -> str: ...
    @property
    def required_before(self) -> str | None: ...


@dataclass(frozen=True)
class NextAction:
    """The header band's call to action: a short label, why, and where on the page to do it."""

    label: str
    detail: str
    target: str  # an anchor on the case page ("#reply") or "call" for call mode
    draft: str = ""  # the composer purpose that fits, when the action is a reply


@dataclass(frozen=True)
class Gate:
    """What blocks the next forward move, in the user's words, with the steps to finish."""

    text: str
    steps: tuple[tuple[str, str], ...] = ()  # (step id, title)


def _open(steps: Sequence[StepLike], *, phase: str | None = None, gate: str | None = None) -> list[StepLike]:
    return [
        s
        for s in steps
        if s.state == "open"
        and (phase is None or s.phase == phase)
        and (gate is None or s.required_before == gate)
    ]


def blocking_gate(*, status: str, legal_review: str, steps: Sequence[StepLike]) -> Gate | None:
    """The legal review (P11) or the preparation steps (P9) that hold the case back, if any."""
    if status not in FORWARD:
        return None
    if legal_review in LEGAL_PENDING:
        state = "still to do" if legal_review == "required" else "under way"
        return Gate(
            f"The legal review is {state}: talk to our lawyer and record the review on the facts "
            "before the conversation goes on (P11)."
        )
    waiting = _open(steps, gate="resolution_proposed")
    if not waiting:
        return None
    return Gate(
        f"A solution can be proposed once {'this step is' if len(waiting) == 1 else 'these steps are'} "
        "done or skipped (P9):",
        tuple((s.step_id, s.title) for s in waiting),
    )


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _settled(status: str) -> NextAction | None:
    """Cases past the conversation: confirmation, follow-up, closed."""
    if status == "resolution_proposed":
        return NextAction(
            "Ask to confirm",
            "The problem is solved only when the client says so: send the confirmation link, "
            "or record the yes they gave on a call (P23).",
            "#confirmation",
            "confirm_request",
        )
    if status == "awaiting_confirmation":
        return NextAction(
            "Follow up",
            "We asked the client to confirm. If they have not answered, check in with them, or record "
            "the yes they gave on a call (P23).",
            "#confirmation",
            "update",
        )
    if status == "resolved":
        return NextAction(
            "Follow up",
            "The client confirmed. Check back after a while that it still works, then close the case (P23).",
            "#move",
            "follow_up",
        )
    if status == "closed":
        return NextAction("Closed: nothing to do", "Reopen the case if the client comes back (P23).", "#move")
    return None


def next_action(*, status: str, severity: int, legal_review: str, steps: Sequence[StepLike]) -> NextAction:
    """The one next action for this status and severity (P6, P9, P11, P12, P19, P23)."""
    if status == "new":
        how = "a call or a short mail" if severity >= HEATED else "a short mail"
        return NextAction(
            "Acknowledge now",
            f"Do not fire back: {how} saying we have it, who is on it and when they hear from us next (P6).",
            "#reply",
            "acknowledge",
        )
    settled = _settled(status)
    if settled is not None:
        return settled
    if legal_review in LEGAL_PENDING:
        return NextAction(
            "Check with our lawyer",
            "Only a holding reply goes out until the legal review is recorded on the facts (P11).",
            "#facts",
            "update",
        )
    preparing = _open(steps, gate="resolution_proposed")
    if preparing:
        return NextAction(
            f"Prepare: {_plural(len(preparing), 'step')} left",
            "Learn the whole story before engaging: the timeline, the contract, both sides (P9).",
            "#playbook",
        )
    talking = _open(steps, phase="conversation")
    if talking and (severity >= HEATED or status == "in_conversation"):
        return NextAction(
            "Call the client",
            f"Talk it through on a call, one step at a time: {_plural(len(talking), 'step')} to go "
            "(P12, P13).",
            "call",
        )
    return NextAction(
        "Propose a solution",
        "Offer one of the pre-approved remedies as the fair middle and hold it (P19, P20).",
        "#offers",
        "solution",
    )
