"""Threat detection on sentences written for this test (P5): precision and recall >= 0.9 over the table."""

from __future__ import annotations

import pytest

from accord.triage.signals import THREAT_KINDS, find_threats

L, C, R = "legal", "churn", "review"

# (sentence, the threats it makes)
TABLE: list[tuple[str, set[str]]] = [
    # legal threats
    ("If the refund is not in our account by Friday, our lawyer will be in touch.", {L}),
    ("We are prepared to take you to court over this invoice.", {L}),
    ("I have already spoken to my attorney about the damage your crew caused.", {L}),
    ("Expect a chargeback on the card for the full amount.", {L}),
    ("We will be filing a complaint with the regulator this week.", {L}),
    ("Our legal team is reviewing the contract and will contact you.", {L}),
    ("This is a clear breach of contract and we intend to pursue it.", {L}),
    ("I'm going to sue you for every penny of the deposit.", {L}),
    ("Unless the data is restored today, we will start legal proceedings.", {L}),
    ("I'll file in small claims if you keep ignoring me.", {L}),
    ("We will dispute the charge with our bank.", {L}),
    ("Consider this formal notice before we involve our solicitors.", {L}),
    # churn threats
    ("We will cancel our contract at the end of the month.", {C}),
    ("If this happens again we are taking our business elsewhere.", {C}),
    ("We're seriously looking for another agency at this point.", {C}),
    ("Please close my account, I am done with you.", {C}),
    ("We won't be renewing when the term ends in March.", {C}),
    ("Frankly we are switching to a competitor next quarter.", {C}),
    ("Unless you fix the billing we will terminate the agreement.", {C}),
    ("I want to cancel my subscription effective immediately.", {C}),
    ("This will be our last order with you.", {C}),
    ("We have decided to end our contract with you.", {C}),
    ("If it is not corrected by Friday we will move our account to another agency.", {C}),
    # review / public threats
    ("I will leave a one-star review on every site I can find.", {R}),
    ("I'm going to tell everyone I know how you treated us.", {R}),
    ("Expect a very honest review on Trustpilot tonight.", {R}),
    ("We will post about this on LinkedIn so others are warned.", {R}),
    ("I am reporting you to the Better Business Bureau.", {R}),
    ("I'll be warning other businesses about your agency.", {R}),
    ("Maybe the press would be interested in how you treat customers.", {R}),
    ("I'm writing about this on social media today.", {R}),
    # combined
    ("We are cancelling our subscription and our lawyer will send a letter.", {C, L}),
    ("I will write a bad review and then take my business elsewhere.", {R, C}),
    ("If you won't refund us, we'll go to court and post this on Twitter.", {L, R}),
    # negations
    ("We are not going to sue, we just want this fixed.", set()),
    ("I have no intention of cancelling our contract, I simply need an answer.", set()),
    ("We won't be leaving a bad review, don't worry.", set()),
    ("Nobody is talking about lawyers here, let's stay calm.", set()),
    ("We don't want to switch to a competitor; we like working with you.", set()),
    ("I would never post something like this on social media.", set()),
    ("We are not looking for another agency.", set()),
    ("No need to involve the legal team, it was a small mistake.", set()),
    # hypotheticals and reported / past
    ("Even if we wanted to cancel our contract, the notice period is six months.", set()),
    ("If I were a lawyer I would read the fine print, but I'm just confused.", set()),
    ("Some clients would have called a lawyer by now, but we trust you.", set()),
    ("Last year a friend sued a builder over something similar.", set()),
    ('Our customer told us "I will sue you" but we calmed him down.', set()),
    ('The article quoted someone saying "take your business elsewhere".', set()),
    # how-to questions and neutral mentions
    ("How do I cancel my order and re-order the right size?", set()),
    ("Can I update the billing address on my account?", set()),
    ("Where can I find the terms of our contract?", set()),
    ("Is it possible to pause the subscription for a month?", set()),
    # ordinary complaints, no threat
    ("The delivery is late again and nobody answers the phone.", set()),
    ("This is the third time the invoice has the wrong amount.", set()),
    ("I'm really disappointed with the quality of the last batch.", set()),
    ("Your technician was rude to my staff this morning.", set()),
    ("Our website has been down since 9am and we are losing sales.", set()),
    ("Thanks for the quick fix yesterday, much appreciated.", set()),
    ("Please send the updated quote by Friday.", set()),
    ("We loved the launch event, great work everyone.", set()),
    ("The report is missing the figures we agreed on.", set()),
    ("Could you call me back when you have a moment?", set()),
    ("We still haven't received the replacement parts.", set()),
    ("The new dashboard is confusing and slow.", set()),
    ("I expected better after ten years as your customer.", set()),
]


def _confusion() -> tuple[int, int, int, list[str]]:
    tp = fp = fn = 0
    misses = []
    for sentence, expected in TABLE:
        threats = find_threats(sentence)
        found = {k for k in THREAT_KINDS if threats[k]["present"]}
        tp += len(found & expected)
        fp += len(found - expected)
        fn += len(expected - found)
        if found != expected:
            misses.append(f"{sentence!r}: expected {sorted(expected)}, found {sorted(found)}")
    return tp, fp, fn, misses


def test_table_has_enough_realistic_sentences() -> None:
    assert len(TABLE) >= 60
    assert sum(1 for _, e in TABLE if not e) >= 25  # plenty of non-threats, negations and hypotheticals


def test_threat_precision_and_recall_at_least_90_percent() -> None:
    tp, fp, fn, misses = _confusion()
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    print(f"threat precision {precision:.3f} recall {recall:.3f} ({tp} tp, {fp} fp, {fn} fn)")
    assert precision >= 0.9, misses
    assert recall >= 0.9, misses


@pytest.mark.parametrize("sentence", ["We are not going to sue.", "We will not cancel our contract."])
def test_negated_threat_is_not_a_threat(sentence: str) -> None:
    threats = find_threats(sentence)
    assert not any(threats[k]["present"] for k in THREAT_KINDS)


def test_threat_evidence_points_at_the_words() -> None:
    text = "Fine. Our lawyer will call you tomorrow."
    ev = find_threats(text)["legal"]["evidence"]
    assert ev and text[ev[0]["start"] : ev[0]["end"]] == ev[0]["text"]
    assert "lawyer" in ev[0]["text"]
