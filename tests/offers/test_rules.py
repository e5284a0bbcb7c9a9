"""Pure offer rules: limits (P19) and haggling phrases with evidence spans (P20)."""

from __future__ import annotations

import pytest

from accord.offers.rules import Step, concession_drift, find_haggling, haggling_advice, history_haggling


@pytest.mark.parametrize(
    ("text", "kind", "phrase"),
    [
        ("Hmm. Can you do better than that?", "asks_for_more", "Can you do better"),
        ("Honestly, that's not enough for us.", "rejects_as_too_little", "that's not enough"),
        ("We want 50% off the next three invoices.", "demands_amount", "We want 50%"),
        ("Could you meet us halfway on this?", "meet_halfway", "meet us halfway"),
        ("How about $800 and we call it even?", "counter_offer", "How about $800"),
        ("We would accept 30% credit.", "counter_offer", "We would accept 30%"),
        ("What is the best you can do?", "asks_for_more", "What is the best you can do"),
        ("OK. What's the best you could offer?", "asks_for_more", "What's the best you could offer"),
        ("Frankly we expect a full month free.", "demands_free", "we expect a full month free"),
        ("We want a full refund, nothing less.", "demands_free", "We want a full refund"),
        ("We deserve the next invoice for free.", "demands_free", "We deserve the next invoice for free"),
    ],
)
def test_haggling_phrases_are_found_with_their_span(text: str, kind: str, phrase: str) -> None:
    signals = find_haggling(text)
    assert [(s.kind, s.phrase) for s in signals] == [(kind, phrase)]
    assert text[signals[0].start : signals[0].end] == phrase


@pytest.mark.parametrize(
    "text",
    [
        "Thanks, that works for us.",
        "We accept the credit, see you Monday.",
        "Is the 15% applied to May?",
        # near misses of the phrasings above: same words, no bargaining
        "We will do the best we can on our side.",
        "You did your best, thank you.",
        "We expect the delivery on Friday.",
        "We expect to be free on Monday for the call.",
        "We want to thank you for the quick refund.",
        "Is the month free of meetings? Then let's talk.",
        "To be clear, we don't expect a full month free, just the fix.",
        "We are not asking you to do better than that, it is fine.",
        "Thanks, agreed.\n> What is the best you can do?\n> We want 40% off",  # quoted old mail
    ],
)
def test_acceptance_and_questions_are_not_haggling(text: str) -> None:
    assert find_haggling(text) == []


def test_advice_holds_the_line_and_names_the_termination_terms() -> None:
    advice = haggling_advice(termination_terms="60 days' written notice.", repeated=True)
    assert "not an opening bid" in advice[0]
    assert "how they would solve it fairly" in advice[1]
    assert "60 days' written notice." in advice[2]


def _step(i: int, origin: str, amount: float, unit: str = "%", money: float = 0) -> Step:
    return Step(i, origin, amount, unit, money)


@pytest.mark.parametrize(
    ("history", "new", "drift"),
    [
        ([], _step(1, "us", 10), False),  # the first offer cannot drift
        ([_step(1, "us", 10)], _step(2, "us", 25), True),
        ([_step(1, "us", 10), _step(2, "us", 25)], _step(3, "us", 30), True),
        ([_step(1, "us", 25)], _step(2, "us", 25), False),  # the same offer again is holding the line
        ([_step(1, "us", 25)], _step(2, "us", 20), False),
        ([_step(1, "us", 10), _step(2, "client", 40)], _step(3, "us", 10), False),  # their counter is no bar
        ([_step(1, "us", 2, "hours")], _step(2, "us", 5, "%"), False),  # not comparable without money
        ([_step(1, "us", 2, "hours", 180)], _step(2, "us", 10, "%", 300), True),  # in money it is more
    ],
)
def test_concession_drift(history: list[Step], new: Step, drift: bool) -> None:
    found = concession_drift(history, new)
    assert (found is not None) is drift
    if found is not None:
        assert "Offers so far:" in found.message and "not an opening bid" in found.message


def test_history_haggling_counters_and_growing_demands() -> None:
    steps = [_step(1, "client", 50), _step(2, "us", 10), _step(3, "client", 30), _step(4, "client", 30)]
    signals = history_haggling(steps)
    assert [(s.kind, s.offer_id) for s in signals] == [("counter_after_offer", 3), ("counter_after_offer", 4)]
    growing = history_haggling([_step(1, "us", 10), _step(2, "client", 20), _step(3, "client", 40)])
    assert [s.kind for s in growing][-1] == "growing_demand"
