"""The reply coach's checks on text alone: families, quoting, offsets, severities (P13-P22)."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
import yaml

from accord.coach import CaseContext, check_reply, score

FIXTURE = Path(__file__).parent / "fixtures" / "reply_sentences.yaml"
FAMILIES = (
    "double_talk", "evasive_passive", "non_apology", "blame_or_excuse", "condescension", "hedging",
    "missing_acknowledgement", "missing_empathy", "missing_next_step", "apology_mismatch",
    "haggling_opening", "legal_exposure",
)  # fmt: skip


def _rows() -> list[dict[str, Any]]:
    return list(yaml.safe_load(FIXTURE.read_text(encoding="utf-8")))


def _fires(row: dict[str, Any]) -> bool:
    ctx = CaseContext(
        fault=row.get("fault", "unknown"), legal_review=row.get("legal", "not_needed"),
        client_message=row.get("client", ""),
    )  # fmt: skip
    found = check_reply(row["text"], case_context=ctx, whole_reply=True)
    return any(f.rule == row["family"] for f in found)


def test_fixture_has_150_sentences_with_positives_and_near_misses_in_every_family() -> None:
    rows = _rows()
    assert len(rows) >= 150
    for family in FAMILIES:
        labels = {r["fires"] for r in rows if r["family"] == family}
        assert labels == {True, False}, family


@pytest.mark.parametrize("family", FAMILIES)
def test_family_precision_and_recall_are_at_least_90_percent(family: str) -> None:
    counts: dict[str, int] = defaultdict(int)
    misses = []
    for row in (r for r in _rows() if r["family"] == family):
        fired = _fires(row)
        counts[("t" if fired == row["fires"] else "f") + ("p" if fired else "n")] += 1
        if fired != row["fires"]:
            misses.append(row["text"])
    precision = counts["tp"] / max(1, counts["tp"] + counts["fp"])
    recall = counts["tp"] / max(1, counts["tp"] + counts["fn"])
    assert precision >= 0.9 and recall >= 0.9, (precision, recall, misses)


def test_seed_plain_example_passes_clean() -> None:
    found = check_reply("Part X is not working correctly. Let's replace it.")
    assert [f for f in found if f.severity != "info"] == []


def test_seed_double_talk_example_is_flagged_with_a_plain_rewrite() -> None:
    text = "Apparently Part X doesn't meet desired performance quotas in real-world applications."
    found = [f for f in check_reply(text) if f.rule == "double_talk"]
    assert [f.text for f in found] == ["desired performance quotas", "real-world applications"]
    assert "not working correctly" in found[0].suggestion


def test_finding_offsets_point_at_the_matched_words() -> None:
    text = "Hello Dana. Mistakes were made on our side."
    (finding,) = [f for f in check_reply(text) if f.rule == "evasive_passive"]
    assert text[finding.start : finding.end] == finding.text == "Mistakes were made"
    assert finding.severity == "warn" and finding.message and finding.suggestion


def test_quoted_client_text_is_not_flagged() -> None:
    text = (
        "> Obviously you failed to back up our site, calm down is not an answer.\n"
        'You wrote "as per my last email, this is unacceptable", and you are right to be upset.'
    )
    assert [f.rule for f in check_reply(text)] == []


def test_telling_an_upset_client_to_calm_down_blocks() -> None:
    (finding,) = check_reply("Please calm down and read the contract.")
    assert (finding.rule, finding.severity) == ("condescension", "block")


def test_admission_blocks_only_while_legal_review_is_pending() -> None:
    text = "This was our fault, and we will fix it."
    pending = check_reply(text, case_context=CaseContext(fault="ours", legal_review="in_progress"))
    done = check_reply(text, case_context=CaseContext(fault="ours", legal_review="done"))
    assert [(f.rule, f.severity) for f in pending if f.rule == "legal_exposure"] == [
        ("legal_exposure", "block")
    ]
    assert not [f for f in done if f.rule == "legal_exposure"]


def test_no_apology_when_fault_is_ours_is_a_warning_on_a_whole_reply() -> None:
    text = (
        "Hi Sam, you told us the October invoice charged your card twice. I can see how annoying that is. "
        "We will refund the duplicate payment by Thursday at 3 pm and send you the receipt."
    )
    ours = check_reply(text, case_context=CaseContext(fault="ours"))
    unknown = check_reply(text, case_context=CaseContext(fault="unknown"))
    assert [f.rule for f in ours if f.severity != "info"] == ["apology_mismatch"]
    assert [f for f in unknown if f.severity != "info"] == []


def test_acknowledgement_uses_the_clients_own_message() -> None:
    reply = (
        "Hi Priya, I am sorry for the trouble this has caused you and your patients. "
        "I will call you at 11 am tomorrow with the details of the refund."
    )
    about_billing = CaseContext(client_message="We were billed twice for the dental software licence.")
    about_refund = CaseContext(client_message="The refund for our patients never arrived.")
    assert "missing_acknowledgement" in {f.rule for f in check_reply(reply, case_context=about_billing)}
    assert "missing_acknowledgement" not in {f.rule for f in check_reply(reply, case_context=about_refund)}


def test_long_reply_gets_length_info_and_a_lower_score() -> None:
    text = "You told us the export failed, and I know how frustrating that is. " * 40
    text += "I will send the fixed file by Friday at noon."
    found = check_reply(text)
    assert ("length", "info") in {(f.rule, f.severity) for f in found}
    assert 0 < score(found) < 100


# Phrasings that real replies to complaints use (issue 19: the corpus's train split showed the forms; these
# sentences are written for the test), each with a near miss that a careful editor leaves clean.
REAL_PHRASINGS = [
    ("evasive_passive", "Unfortunately, sometimes mistakes happen in a busy week.", True),
    ("evasive_passive", "There was a miscommunication about your late check-out.", True),
    ("evasive_passive", "Your request was not passed on to the night team.", True),
    ("evasive_passive", "We are sorry your booking was not originally honoured.", True),
    ("evasive_passive", "Your new schedule is published every Monday.", False),
    ("evasive_passive", "We did not pass your request on to the night team.", False),
    ("hedging", "We will do our level best to serve you better next time.", True),
    ("hedging", "The payment will be reversed shortly.", True),
    ("hedging", "We are exploring alternative options for the wifi.", True),
    ("hedging", "We hope to welcome you back in the near future.", False),
    ("hedging", "The payment will be reversed by Friday 5 pm.", False),
    ("double_talk", "Necessary action will be taken against the concerned staff.", True),
    ("double_talk", "Your points have been duly noted.", True),
    ("double_talk", "We replaced the shower head in room 204 this morning.", False),
    ("non_apology", "We apologise for the inconvenience you faced during your stay.", True),
    ("non_apology", "We regret that your stay did not meet your expectations.", True),
    ("non_apology", "Sorry to hear that your stay was cut short by the storm.", False),
    ("non_apology", "I am sorry the shower was cold on both nights.", False),
    ("blame_or_excuse", "The delay was due to the heavy rush over the festival weekend.", True),
    ("blame_or_excuse", "There may be a limit set by your bank; please check with your bank.", True),
    ("blame_or_excuse", "The hotel was fully booked that night.", True),
    ("blame_or_excuse", "We were short of staff that night, and that is our planning.", False),
    ("condescension", "We would like to inform you that the room rate includes breakfast.", True),
    ("condescension", "You were informed at check-in that the pool closes at 7 pm.", True),
    ("condescension", "Please do not hesitate to call me on 020 7946 0000.", False),
    # The annotator's documented rules (data/coach/README.md), written for the test; with hard negatives.
    ("hedging", "We will definitely try to address your concerns at the earliest.", True),
    ("hedging", "The refund will be processed at the earliest.", True),
    ("hedging", "We will make every effort to fix the lift before your next visit.", True),
    ("hedging", "We hope our housekeeping team was able to resolve this for you.", True),
    ("hedging", "We hope to have the pleasure of hosting you again.", False),
    ("hedging", "Please try again after clearing the app cache.", False),
    ("double_talk", "Your concerns will be taken care of.", True),
    ("double_talk", "The gaps highlighted in your feedback have been carefully noted.", True),
    ("double_talk", "We are always working towards the best interest of our users.", True),
    ("double_talk", "We take pride in our high standards of service.", True),
    ("double_talk", "We take your feedback very seriously.", True),
    ("double_talk", "The issues you raised have been addressed.", True),
    ("double_talk", "We have shared your feedback with the team.", False),
    ("double_talk", "The night porter now checks the boiler at 6 am every day.", False),
    ("blame_or_excuse", "Cancelling a transaction depends from bank to bank.", True),
    ("blame_or_excuse", "During peak times the pool area can get very busy.", True),
    ("blame_or_excuse", "All you had to do was dial 0 from your room.", True),
    ("blame_or_excuse", "We did not staff the pool area well enough; that is on us.", False),
    ("non_apology", "We are so sorry to hear that.", False),
    ("evasive_passive", "The manager looked into the incident that occurred at check-in.", True),
    ("evasive_passive", "We regret the extra bed request not being met.", True),
    ("evasive_passive", "We forgot your extra bed, and the manager has apologised to the team.", False),
    ("evasive_passive", "Your feedback has been shared with the housekeeping team.", False),
    ("evasive_passive", "The issue will be looked into by our manager.", False),
]


@pytest.mark.parametrize(("family", "text", "fires"), REAL_PHRASINGS)
def test_phrase_rules_know_how_real_replies_say_it(family: str, text: str, fires: bool) -> None:
    found = check_reply(text, whole_reply=False, learnt=False)
    hits = [f for f in found if f.rule == family]
    assert bool(hits) == fires, (family, text, [f.text for f in found])
    for f in hits:
        assert text[f.start : f.end] == f.text and f.suggestion
