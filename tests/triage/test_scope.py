"""Where a threat cue stands (issue 18, P5): the scopes the learnt threat heads read next to the n-grams,
so "cancel the meeting", "we're not switching" and "moving our sites to you" do not look like churn."""

from __future__ import annotations

import numpy as np

from accord.triage import scope, signals


def _flags(text: str, kind: str) -> dict[str, bool]:
    row = scope.features(text).reshape(len(signals.THREAT_KINDS), len(scope.FLAGS))
    return dict(zip(scope.FLAGS, row[signals.THREAT_KINDS.index(kind)].astype(bool), strict=True))


def test_a_plain_threat_is_a_kept_committed_first_person_cue() -> None:
    f = _flags("We are cancelling our contract at the end of the month.", "churn")
    assert f["cue"] and f["kept"] and f["rule"] and f["first_person"] and f["committed"]
    assert not (f["negated"] or f["neutral_object"] or f["question"] or f["third_party"])


def test_negation_questions_and_neutral_objects_are_marked() -> None:
    assert _flags("We're not going to cancel the contract, just fix the bug.", "churn")["negated"]
    assert _flags("cancel next weeks clean, we're away", "churn")["neutral_object"]
    assert _flags("What happens if we terminate the contract early?", "churn")["question"]
    assert _flags("Our lawyer approved the new terms, we're happy.", "legal")["reassured"]


def test_someone_elses_threat_and_a_move_towards_us_are_marked() -> None:
    assert _flags("The tenant says she will sue her neighbour over the noise.", "legal")["third_party"]
    text = "We're ending our contract with our old email provider and moving email to you."
    moving_in = _flags(text, "churn")
    assert moving_in["cue"] and moving_in["inbound"]


def test_the_issue_examples_have_a_cue_to_point_at() -> None:
    """The rules' wider cues are the evidence of a threat the heads find (issue 18's missed examples)."""
    assert signals.threat_cues("my bank is disputing the payment")["legal"]
    assert signals.threat_cues("he will tell all the cafe owners he knows")["review"]
    assert signals.threat_cues("I have written to the CQC about my mother's care")["legal"]


def test_text_without_cues_gives_zeros() -> None:
    assert not scope.features("The chair arrived with a cracked leg.").any()
    assert scope.matrix([]).shape == (0, 3 * len(scope.FLAGS))
    assert np.array_equal(scope.matrix(["hi"])[0], scope.features("hi"))


def test_the_tone_of_the_cue_sentence_is_marked() -> None:
    """Spreading the word is a threat when it is bad news, a recommendation when it is praise (P5)."""
    good = "I'll be telling the other parents in Year 6 how much Maya has improved, thank you!"
    bad = "I'll be telling every parent at the school gate how badly your tutor let us down."
    praise, anger = _flags(good, "review"), _flags(bad, "review")
    assert praise["cue"] and praise["praise"] and not praise["hostile"]
    assert anger["cue"] and anger["hostile"] and not anger["praise"]


def test_a_negation_in_the_condition_does_not_take_the_threat_back() -> None:
    """An ultimatum's condition may be negative ("if this isn't sorted"); the threat after it stands (P5)."""
    ultimatum = _flags("If this isn't sorted we will cancel the contract and speak to our lawyer.", "churn")
    assert ultimatum["conditional"] and not ultimatum["negated"] and not ultimatum["reassured"]
    assert _flags("We will not cancel the contract, we just want it fixed.", "churn")["negated"]
    assert _flags("It's all sorted now, so we won't cancel the contract after all.", "churn")["reassured"]


def test_a_neutral_object_is_the_cue_s_own_object_not_a_later_word() -> None:
    """Cancelling "the visit" aims the cue at one visit; "cancelled after one visit" cancels the plan, and the
    word "visit" after "after" must not excuse it (P5, issue 18: churn missed on the train split)."""
    assert _flags("Can we cancel Friday's visit? I'm away.", "churn")["neutral_object"]
    quitting = _flags("Cancelled after one visit, the physio never even looked at my knee.", "churn")
    assert quitting["cue"] and not quitting["neutral_object"]
    moving = _flags("We've signed with your competitor, just need the dns moved over.", "churn")
    assert moving["cue"] and not moving["neutral_object"]


def test_closing_an_account_and_a_last_visit_are_churn_cues() -> None:
    """Exits said without "cancel" or "switch" (issue 18: scored 0.14 and 0.01 out of fold before)."""
    assert signals.threat_cues("I'm closing my account with you this week.")["churn"]
    assert signals.threat_cues("Honestly, this was my last visit to your salon.")["churn"]
