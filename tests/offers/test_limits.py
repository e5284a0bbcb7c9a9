"""P19 limits, table-driven: by role, by share of the client's monthly value, by yearly caps per client."""

from __future__ import annotations

import pytest

from accord.errors import Invalid
from accord.offers.limits import (
    ClientFigures,
    check_amount,
    decide,
    decide_custom,
    effective_limit,
    money_value,
)
from accord.playbook.definition import Solution

CREDIT = Solution(
    id="billing_credit",
    title="Account credit",
    description="A credit on the next invoice.",
    kind="credit_percent",
    limit=15,
    limit_share=0.10,
    hard_max=50,
    yearly_count=2,
    yearly_total=30,
    grant_roles=["owner", "lead", "agent"],
    approver_roles=["owner"],
)
HOURS = Solution(
    id="free_hours",
    title="Free rework hours",
    description="Hours at no charge.",
    kind="free_hours",
    limit=6,
    limit_share=0.2,
    hard_max=40,
    grant_roles=["owner", "lead"],
    approver_roles=["owner", "lead"],
)
REFUND = Solution(
    id="refund", title="Refund", description="Money back.", kind="refund_amount", currency="USD", limit=500
)
PLAIN = ClientFigures(monthly_value=0, hourly_rate=0)


@pytest.mark.parametrize(
    ("role", "amount", "needs", "approved_at_once"),
    [
        ("agent", 10, False, False),  # within, and agents may grant it
        ("lead", 15, False, False),  # at the limit is within
        ("agent", 16, True, False),  # beyond: waits for the owner
        ("lead", 16, True, False),  # a lead is not an approver of this remedy
        ("owner", 16, True, True),  # the owner approves in the same act (P7: no waiting)
        (None, 10, False, False),  # the system grants within the limits (demo, jobs)
        (None, 16, True, False),  # but beyond them a person approves
    ],
)
def test_credit_by_role(role: str | None, amount: float, needs: bool, approved_at_once: bool) -> None:
    decision = decide(CREDIT, amount=amount, role=role, figures=PLAIN)
    assert (decision.needs_approval, decision.approved_by_proposer) == (needs, approved_at_once)


@pytest.mark.parametrize(
    ("role", "amount", "needs", "approved_at_once"),
    [
        ("agent", 2, True, False),  # agents may not grant free hours at all, even within the limit
        ("lead", 2, False, False),
        ("lead", 7, True, True),  # a lead is an approver of free hours
    ],
)
def test_free_hours_by_role(role: str, amount: float, needs: bool, approved_at_once: bool) -> None:
    decision = decide(HOURS, amount=amount, role=role, figures=PLAIN)
    assert (decision.needs_approval, decision.approved_by_proposer) == (needs, approved_at_once)
    if role == "agent":
        assert "An agent may not grant Free rework hours alone." in decision.message


@pytest.mark.parametrize(
    ("solution", "figures", "limit"),
    [
        (CREDIT, ClientFigures(monthly_value=2000), 10),  # 10 % of value is tighter than 15 %
        (CREDIT, ClientFigures(monthly_value=0), 15),  # no value recorded: the amount limit alone
        (HOURS, ClientFigures(monthly_value=1000, hourly_rate=100), 2),  # 20 % of 1000 = 200 = 2 hours
        (HOURS, ClientFigures(monthly_value=10000, hourly_rate=100), 6),  # the amount limit is tighter
        (REFUND, ClientFigures(monthly_value=100), 500),  # no share on refunds
    ],
)
def test_limit_as_share_of_monthly_value(solution: Solution, figures: ClientFigures, limit: float) -> None:
    assert effective_limit(solution, figures) == limit


def test_beyond_the_share_names_the_value() -> None:
    decision = decide(
        HOURS, amount=3, role="lead", figures=ClientFigures(monthly_value=1000, hourly_rate=100)
    )
    assert decision.needs_approval
    assert "3 hours is more than 20% of the client's monthly value (2 hours)." in decision.message


@pytest.mark.parametrize(
    ("used_count", "used_total", "amount", "needs", "words"),
    [
        (0, 0, 10, False, ""),
        (1, 15, 10, False, ""),  # second time, 25 % in all: within both caps
        (2, 20, 5, True, "already had Account credit 2 time(s)"),  # third time in 12 months
        (1, 25, 10, True, "would get 35 % in 12 months; the yearly cap is 30 %"),
    ],
)
def test_yearly_caps_per_client(
    used_count: int, used_total: float, amount: float, needs: bool, words: str
) -> None:
    figures = ClientFigures(used_count=used_count, used_total=used_total)
    decision = decide(CREDIT, amount=amount, role="agent", figures=figures)
    assert decision.needs_approval is needs
    assert words in decision.message


@pytest.mark.parametrize(
    ("solution", "amount", "message"),
    [
        (CREDIT, None, "Enter an amount in % for Account credit; the pre-approved limit is 15 %"),
        (CREDIT, -1, "cannot be negative"),
        (CREDIT, 101, "101 % is over 100 %"),
        (CREDIT, 999, "999 % is over 100 %"),
        (CREDIT, 60, "over the catalog's hard maximum of 50 %"),
        (HOURS, 41, "41 hours is over the catalog's hard maximum of 40 hours"),
        (REFUND, None, "Enter an amount in USD for Refund; the pre-approved limit is 500 USD"),
    ],
)
def test_out_of_range_is_refused_with_the_limit_in_units(
    solution: Solution, amount: float | None, message: str
) -> None:
    with pytest.raises(Invalid, match=message.replace("(", r"\(").replace(")", r"\)")):
        check_amount(solution, amount)


def test_a_blank_amount_never_becomes_the_maximum() -> None:
    with pytest.raises(Invalid, match="Enter an amount"):
        check_amount(REFUND, None)
    assert check_amount(REFUND, 0) == 0


@pytest.mark.parametrize(("role", "approved"), [("owner", True), ("lead", False), ("agent", False)])
def test_custom_remedies_always_need_an_owner(role: str, approved: bool) -> None:
    decision = decide_custom(role=role)
    assert decision.needs_approval and decision.approved_by_proposer is approved


@pytest.mark.parametrize(
    ("kind", "amount", "cost"),
    [
        ("credit_percent", 10, 300.0),  # 10 % of 3000 a month
        ("refund_amount", 120, 120.0),
        ("free_hours", 4, 360.0),  # hours x the client's rate (P24)
        ("expedited_fix", 1, 0.0),
    ],
)
def test_money_value(kind: str, amount: float, cost: float) -> None:
    assert money_value(kind, amount, ClientFigures(monthly_value=3000, hourly_rate=90)) == cost
