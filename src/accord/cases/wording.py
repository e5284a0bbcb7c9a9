"""The user's words for the lifecycle: statuses, gates and refusals said as sentences, never as ids.

Services raise errors with a stable `code` and machine `detail` (for the API and tests); the pages show
`plain_error(...)` instead, so "resolution_proposed" or "legal_check" never reaches a person. One place,
so every page (case page, call mode, forms, error pages) says it the same way.
"""

from __future__ import annotations

from typing import Any

STATUS_WORDS = {
    "new": "new",
    "acknowledged": "acknowledged",
    "preparing": "being prepared",
    "in_conversation": "in conversation",
    "resolution_proposed": "waiting on the solution we proposed",
    "awaiting_confirmation": "waiting for the client's confirmation",
    "resolved": "resolved",
    "closed": "closed",
    "reopened": "reopened",
    "escalated": "escalated",
    "on_hold": "on hold",
}

# What moving to a status means, as the end of "Before you can ...".
STATUS_ACTIONS = {
    "new": "mark it new",
    "acknowledged": "acknowledge it",
    "preparing": "start preparing",
    "in_conversation": "start the conversation",
    "resolution_proposed": "propose a solution",
    "awaiting_confirmation": "ask the client to confirm",
    "resolved": "resolve it",
    "closed": "close it",
    "reopened": "reopen it",
    "escalated": "escalate it",
    "on_hold": "put it on hold",
}

LEGAL_WORDS = {"required": "still required", "in_progress": "still in progress"}


def status_words(status: str) -> str:
    """'resolution_proposed' -> 'waiting on the solution we proposed'."""
    return STATUS_WORDS.get(status, status.replace("_", " "))


def status_action(status: str) -> str:
    """'resolution_proposed' -> 'propose a solution'."""
    return STATUS_ACTIONS.get(status, "move it to " + status.replace("_", " "))


def _listed(items: list[str], joiner: str = "and") -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {joiner} " + items[-1]


def _steps_open(detail: dict[str, Any]) -> str:
    titles = detail.get("open_step_titles") or [s.replace("_", " ") for s in detail.get("open_steps", [])]
    plural = "these steps" if len(titles) > 1 else "this step"
    action = status_action(str(detail.get("to", "")))
    return f"Before you can {action}, finish or skip {plural}: {'; '.join(titles)}."


def _legal(detail: dict[str, Any]) -> str:
    state = LEGAL_WORDS.get(str(detail.get("legal_review", "")), "not recorded as done")
    return (
        f"You cannot {status_action(str(detail.get('to', '')))} while the legal review is {state}. "
        "Talk to our lawyer, then set the legal review to done in the case's facts."
    )


def _illegal(detail: dict[str, Any]) -> str:
    allowed = [status_action(s) for s in detail.get("allowed", [])]
    now = status_words(str(detail.get("from", "")))
    options = f" From here you can {_listed(allowed, 'or')}." if allowed else ""
    return f"A case that is {now} cannot {status_action(str(detail.get('to', '')))}.{options}"


def _confirmation(detail: dict[str, Any]) -> str:
    return (
        "A case is resolved only when the client confirms it. Send them the confirmation link, or record "
        "the yes they gave you on a call."
    )


_BY_CODE = {
    "steps_open": _steps_open,
    "legal_review_pending": _legal,
    "illegal_transition": _illegal,
    "needs_client_confirmation": _confirmation,
}


def plain_error(code: str, detail: Any, message: str) -> str:
    """The sentence a person reads for an error (gates and moves in plain words; others as written)."""
    explain = _BY_CODE.get(code)
    if explain is not None and isinstance(detail, dict):
        try:
            return explain(detail)
        except (TypeError, ValueError):  # a detail of another shape: the service's own message
            return message
    return message
