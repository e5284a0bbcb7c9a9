"""Pure offer rules: limits (P19) and haggling phrases with evidence spans (P20)."""

from __future__ import annotations

import pytest

from accord.offers.rules import check_limit, find_haggling, haggling_advice


def test_amount_at_the_limit_is_within_and_above_names_the_approvers() -> None:
    assert check_limit(amount=15, limit=15, approver_roles=("owner",)).within
    beyond = check_limit(amount=25, limit=15, approver_roles=("owner", "lead"))
    assert not beyond.within
    assert "owner or lead must approve" in beyond.message


@pytest.mark.parametrize(
    ("text", "kind", "phrase"),
    [
        ("Hmm. Can you do better than that?", "asks_for_more", "Can you do better"),
        ("Honestly, that's not enough for us.", "rejects_as_too_little", "that's not enough"),
        ("We want 50% off the next three invoices.", "demands_amount", "We want 50%"),
        ("Could you meet us halfway on this?", "meet_halfway", "meet us halfway"),
        ("How about $800 and we call it even?", "counter_offer", "How about $800"),
        ("We would accept 30% credit.", "counter_offer", "We would accept 30%"),
    ],
)
def test_haggling_phrases_are_found_with_their_span(text: str, kind: str, phrase: str) -> None:
    signals = find_haggling(text)
    assert [(s.kind, s.phrase) for s in signals] == [(kind, phrase)]
    assert text[signals[0].start : signals[0].end] == phrase


@pytest.mark.parametrize(
    "text",
    ["Thanks, that works for us.", "We accept the credit, see you Monday.", "Is the 15% applied to May?"],
)
def test_acceptance_and_questions_are_not_haggling(text: str) -> None:
    assert find_haggling(text) == []


def test_advice_holds_the_line_and_names_the_termination_terms() -> None:
    advice = haggling_advice(termination_terms="60 days' written notice.", repeated=True)
    assert "not an opening bid" in advice[0]
    assert "how they would solve it fairly" in advice[1]
    assert "60 days' written notice." in advice[2]
