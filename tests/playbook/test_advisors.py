"""Advisors on table-driven scenarios: approach (P18), apology (P16), channel (P12), spokesperson (P7),
preparation readiness (P9)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy.orm import Session

from accord.cases import facts, steps
from accord.coach import advice as case_advice
from accord.intake import service as intake
from accord.playbook.advisors import (
    CaseFacts,
    apology_advisor,
    approach_advisor,
    channel_advisor,
    preparation_readiness,
    spokesperson_check,
)
from accord.playbook.loader import default_playbook
from tests.helpers import create_agent, create_case, create_client, create_owner, create_workspace

PB = default_playbook()
BASE = CaseFacts(severity=2)
READY = replace(
    BASE,
    has_client_view=True,
    has_our_view=True,
    done_steps=frozenset({"review_timeline", "review_contract", "decide_objective"}),
)


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        (BASE, "collaborate"),
        (replace(BASE, fault="ours", severity=1), "accommodate"),
        (replace(BASE, fault="shared", client_tier="key"), "compromise"),
        (replace(BASE, fault="client", client_monthly_value=5000), "compromise"),
        (replace(BASE, fault="client", earlier_client_fault=3), "compete"),
        (replace(BASE, fault="client", abusive=True, severity=3), "compete"),
        (replace(BASE, fault="client", abusive=True, client_tier="strategic"), "compromise"),
        (replace(BASE, fault="ours", severity=4), "collaborate"),
    ],
)
def test_approach_advisor(facts: CaseFacts, expected: str) -> None:
    advice = approach_advisor(facts, PB)
    assert advice.recommendation == expected
    assert advice.reasons and all(r.strip() for r in advice.reasons)


def test_choosing_avoid_is_flagged_as_risky() -> None:
    advice = approach_advisor(replace(BASE, chosen_approach="avoid"), PB)
    assert advice.level == "warning"
    assert any("ignored conflicts usually grow" in r for r in advice.reasons)


@pytest.mark.parametrize(
    ("fault", "expected"),
    [
        ("ours", "Apologise for the mistake"),
        ("shared", "Apologise for our part"),
        ("client", "No apology for the alleged fault; apologise only for careless handling"),
        ("none", "No apology for fault; say you are sorry it was frustrating"),
        ("unknown", "Hold the apology until the facts are in"),
    ],
)
def test_apology_advisor(fault: str, expected: str) -> None:
    advice = apology_advisor(replace(BASE, fault=fault), PB)
    assert advice.recommendation == expected
    assert advice.reasons[0] == PB.apology[fault]  # type: ignore[index]


@pytest.mark.parametrize(
    ("severity", "anger", "call"),
    [(1, None, False), (2, 0.3, False), (2, 0.8, True), (3, None, True), (4, 0.0, True)],
)
def test_channel_advisor(severity: int, anger: float | None, call: bool) -> None:
    advice = channel_advisor(replace(BASE, severity=severity, anger=anger), PB)
    assert (advice.recommendation == "Propose a call or video meeting") is call


@pytest.mark.parametrize(
    ("facts", "warning"),
    [
        (replace(BASE, owner_id=1, owner_role="agent", outbound_author_ids=(1, 1)), None),
        (replace(BASE, owner_id=None), "Nobody is named"),
        (
            replace(BASE, owner_id=1, outbound_author_ids=(1, 2, 3)),
            "2 message(s) to the client were sent by someone",
        ),
        (replace(BASE, owner_id=1, handoff_count=3), "changed hands 3 times"),
        (replace(BASE, owner_id=1, owner_role="agent", severity=3), "should be: owner (now a agent)"),
    ],
)
def test_spokesperson_check(facts: CaseFacts, warning: str | None) -> None:
    advice = spokesperson_check(facts, PB)
    if warning is None:
        assert advice.level == "ok"
    else:
        assert advice.level == "warning" and any(warning in r for r in advice.reasons)


@pytest.mark.parametrize(
    ("facts", "missing"),
    [
        (READY, []),
        (
            BASE,
            [
                "the client's view (P8)",
                "our view (P8)",
                "the timeline and earlier conversations reviewed (P9)",
                "the contract and expectations reviewed (P1, P9)",
                "the objective decided (P10)",
            ],
        ),
        (replace(READY, severity=3), ["the impact assessment (P4)"]),
        (replace(READY, severity=3, has_impact_assessment=True), []),
        (replace(READY, legal_triggered=True), ["the legal check (P11)"]),
        (replace(READY, legal_triggered=True, legal_review="done"), []),
    ],
)
def test_preparation_readiness(facts: CaseFacts, missing: list[str]) -> None:
    advice = preparation_readiness(facts, PB)
    assert advice.missing == missing
    assert advice.level == ("warning" if missing else "ok")


def test_advise_case_reads_the_case_messages_and_steps(db: Session) -> None:
    """The service gathers facts: a colleague replying instead of the spokesperson is warned (P7)."""
    ws = create_workspace(db)
    owner, agent = create_owner(db, ws), create_agent(db, ws)
    case = create_case(db, create_client(db, ws), owner, severity=3)
    intake.add_outbound_message(db, actor=agent, case=case, body="We're on it.")
    facts.record_views(db, actor=owner, case=case, client_view="Charged twice", our_view="Gateway retry")
    steps.complete_step(db, actor=owner, case=case, step_id="review_timeline", notes="Read it")
    advice = case_advice.advise_case(db, case=case)
    assert advice.get("spokesperson").level == "warning"
    assert advice.get("channel").recommendation == "Propose a call or video meeting"
    assert advice.get("preparation").missing == [
        "the contract and expectations reviewed (P1, P9)",
        "the objective decided (P10)",
        "the impact assessment (P4)",
    ]
