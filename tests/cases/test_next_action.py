"""The one next action on a case and the gate that blocks it, in plain words (issue 20; P6, P9, P11-P13,
P19, P23). Pure: no database."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from accord.cases.next_action import blocking_gate, next_action


@dataclass
class S:
    """A step as the decision reads it."""

    step_id: str
    title: str
    phase: str
    state: str = "open"
    required_before: str | None = None


PREPARATION = [
    S("assess_impact", "Assess the impact", "preparation", required_before="resolution_proposed"),
    S("record_both_views", "Record both views", "preparation", required_before="resolution_proposed"),
    S("review_contract", "Review the contract", "preparation", required_before="resolution_proposed"),
]
TALK = [S(i, i.title(), "conversation") for i in ("listen", "acknowledge_concerns", "show_empathy")]


def _done(steps: list[S]) -> list[S]:
    return [S(s.step_id, s.title, s.phase, "done", s.required_before) for s in steps]


def test_a_new_case_is_acknowledged_first_whatever_its_severity() -> None:
    """P6: the first contact is a quick acknowledgement, drafted by the composer."""
    for severity in (1, 4):
        action = next_action(status="new", severity=severity, legal_review="not_needed", steps=PREPARATION)
        assert (
            action.label == "Acknowledge now" and action.draft == "acknowledge" and action.target == "#reply"
        )
    heated = next_action(status="new", severity=4, legal_review="not_needed", steps=[])
    assert "a call" in heated.detail


def test_open_preparation_steps_are_counted() -> None:
    """P9: the example of the issue: "Prepare: 3 steps left"."""
    action = next_action(
        status="acknowledged", severity=2, legal_review="not_needed", steps=PREPARATION + TALK
    )
    assert action.label == "Prepare: 3 steps left"
    one_left = _done(PREPARATION[:2]) + PREPARATION[2:]
    assert next_action(status="preparing", severity=2, legal_review="not_needed", steps=one_left).label == (
        "Prepare: 1 step left"
    )


def test_a_heated_prepared_case_is_called_and_a_calm_one_gets_a_proposal() -> None:
    """P12: heated conflicts move off email; a calm one can go straight to the pre-approved remedy (P19)."""
    ready = _done(PREPARATION) + TALK
    heated = next_action(status="preparing", severity=3, legal_review="not_needed", steps=ready)
    assert heated.label == "Call the client" and heated.target == "call"
    calm = next_action(status="preparing", severity=2, legal_review="not_needed", steps=ready)
    assert calm.label == "Propose a solution" and calm.target == "#offers"
    talking = next_action(status="in_conversation", severity=1, legal_review="not_needed", steps=ready)
    assert talking.label == "Call the client"  # the conversation has begun: finish its steps
    talked = next_action(
        status="in_conversation", severity=4, legal_review="not_needed", steps=_done(PREPARATION + TALK)
    )
    assert talked.label == "Propose a solution"


@pytest.mark.parametrize(
    ("status", "label", "target"),
    [
        ("resolution_proposed", "Ask to confirm", "#confirmation"),
        ("awaiting_confirmation", "Follow up", "#confirmation"),
        ("resolved", "Follow up", "#move"),
        ("closed", "Closed: nothing to do", "#move"),
    ],
)
def test_after_the_proposal_the_client_confirms_and_we_follow_up(
    status: str, label: str, target: str
) -> None:
    """P23: the problem is solved when the client says so, and the door stays open."""
    action = next_action(status=status, severity=3, legal_review="not_needed", steps=PREPARATION)
    assert (action.label, action.target) == (label, target)


def test_a_pending_legal_review_comes_before_anything_else_but_the_acknowledgement() -> None:
    """P11: talk to the lawyer first; the gate says so in words, not in internal ids."""
    action = next_action(status="escalated", severity=4, legal_review="required", steps=_done(PREPARATION))
    assert action.label == "Check with our lawyer"
    gate = blocking_gate(status="escalated", legal_review="required", steps=_done(PREPARATION))
    assert gate is not None and "legal review is still to do" in gate.text
    assert "_" not in gate.text


def test_the_gate_names_the_open_required_steps_by_title() -> None:
    """P9: what stops a proposal, with the steps to open."""
    gate = blocking_gate(status="preparing", legal_review="not_needed", steps=PREPARATION[:1] + TALK)
    assert gate is not None and "this step is" in gate.text
    assert gate.steps == (("assess_impact", "Assess the impact"),)
    assert blocking_gate(status="preparing", legal_review="not_needed", steps=_done(PREPARATION)) is None
    assert blocking_gate(status="closed", legal_review="required", steps=PREPARATION) is None
