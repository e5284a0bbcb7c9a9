"""The learnt haggling judgement (P20): it backs up the phrase rules, with its version and evidence."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from accord.clock import frozen
from accord.intake import service as intake
from accord.offers import firmness, judgement
from accord.offers import service as offers
from accord_training import haggling
from accord_training.haggling_sentences import HAGGLING, NOT_HAGGLING
from tests.helpers import create_agent, create_case, create_client, create_workspace

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "text",
    [
        "we expect a full month free",
        "Could you add a free month to that?",
        "Please raise the offer, it is not enough",
        "Can you go higher? That is too little.",
    ],
)
def test_bargaining_replies_score_high_with_evidence_in_the_text(text: str) -> None:
    verdict = judgement.judge(text)
    assert verdict.haggling and verdict.version == "haggling-lr-1"
    assert verdict.evidence and all(text.lower()[a:b] == word for a, b, word in verdict.evidence)


@pytest.mark.parametrize(
    "text",
    [
        "Thanks, we accept the credit.",
        "When will the refund arrive?",
        "We will do the best we can.",
        "The website is down again.",
        "Is the credit applied before or after tax?",
    ],
)
def test_near_misses_score_low(text: str) -> None:
    assert not judgement.judge(text).haggling


def test_the_shipped_weights_are_what_the_training_script_makes() -> None:
    texts = list(HAGGLING) + list(NOT_HAGGLING)
    bias, weights = haggling.fit(texts, [1] * len(HAGGLING) + [0] * len(NOT_HAGGLING))
    shipped = json.loads(judgement.ARTIFACT.read_text(encoding="utf-8"))
    assert (shipped["bias"], shipped["weights"]) == (bias, weights)


def test_a_reply_only_the_judgement_catches_is_flagged_with_its_probability(db: Session) -> None:
    ws = create_workspace(db)
    agent = create_agent(db, ws)
    with frozen(T0) as clock:
        case = create_case(db, create_client(db, ws), agent, category="billing")
        offers.propose_offer(db, actor=agent, case=case, solution_id="billing_credit", amount=10)
        clock.advance(timedelta(hours=1))
        intake.add_inbound_message(db, actor=None, case=case, body="Could you add a free month to that?")
    warning = firmness.case_firmness(db, case=case).messages[0]
    assert {s.kind for s in warning.signals} == {"learnt_judgement"}
    assert warning.probability is not None and warning.probability >= 0.8
    assert warning.model == "haggling-lr-1"
