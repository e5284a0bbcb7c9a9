"""Pure limit rules for remedies (P19): units, hard maxima, shares of monthly value, yearly caps, roles.

The service gathers the client's figures (monthly value, hourly rate, what this client already got
this year) and asks `decide`; nothing here reads the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from accord.errors import Invalid
from accord.playbook.definition import MONEY_KINDS, PERCENT_KINDS, Solution

# P19: anyone may propose a custom remedy, but only these roles may let it reach the client.
CUSTOM_APPROVERS = ("owner",)


@dataclass(frozen=True)
class ClientFigures:
    """What the limits need to know about the client: value, rate, and this year's use of the remedy."""

    monthly_value: float = 0.0
    hourly_rate: float = 0.0
    used_count: int = 0
    used_total: float = 0.0


@dataclass(frozen=True)
class Decision:
    """Whether an amount is within the limits, who must approve it otherwise, and why, in words."""

    within: bool
    needs_approval: bool
    approved_by_proposer: bool
    limit: float | None
    unit: str
    reasons: list[str] = field(default_factory=list)

    @property
    def message(self) -> str:
        """One paragraph a person understands."""
        return " ".join(self.reasons)


def fmt(value: float, unit: str) -> str:
    """An amount with its unit: "15 %", "500 EUR", "6 hours"."""
    return f"{value:g} {unit}".strip()


def money_value(kind: str, amount: float, figures: ClientFigures) -> float:
    """What an amount costs in money: a % of the monthly value, the amount itself, or hours x rate (P24)."""
    if kind in PERCENT_KINDS:
        return round(amount / 100 * figures.monthly_value, 2)
    if kind in MONEY_KINDS:
        return round(amount, 2)
    if kind == "free_hours":
        return round(amount * figures.hourly_rate, 2)
    return 0.0


def _share_in_units(solution: Solution, figures: ClientFigures) -> float | None:
    """The share-of-monthly-value limit turned into the remedy's own unit (None: not applicable)."""
    if solution.limit_share is None or figures.monthly_value <= 0:
        return None
    money = solution.limit_share * figures.monthly_value
    if solution.kind in PERCENT_KINDS:
        return round(solution.limit_share * 100, 2)
    if solution.kind in MONEY_KINDS:
        return round(money, 2)
    if solution.kind == "free_hours" and figures.hourly_rate > 0:
        return round(money / figures.hourly_rate, 2)
    return None


def effective_limit(solution: Solution, figures: ClientFigures) -> float | None:
    """The tighter of the amount limit and the share of monthly value, in the remedy's unit."""
    limits = [v for v in (solution.limit, _share_in_units(solution, figures)) if v is not None]
    return min(limits) if limits else None


def check_amount(solution: Solution, amount: float | None) -> float:
    """Refuse a blank, negative, over-100 % or over-maximum amount with the limit in units (P19)."""
    unit = solution.unit
    hint = f"the pre-approved limit is {fmt(solution.limit, unit)}" if solution.limit is not None else ""
    if amount is None:
        raise Invalid(f"Enter an amount in {unit} for {solution.title}; {hint or 'there is no default'}.")
    if amount != amount or amount < 0:
        raise Invalid(f"The amount for {solution.title} cannot be negative; {hint or 'enter 0 or more'}.")
    if solution.kind in PERCENT_KINDS and amount > 100:
        raise Invalid(f"{fmt(amount, unit)} is over 100 %; a percentage is at most 100.")
    if solution.hard_max is not None and amount > solution.hard_max:
        raise Invalid(
            f"{fmt(amount, unit)} is over the catalog's hard maximum of {fmt(solution.hard_max, unit)} "
            f"for {solution.title}; nobody may offer more."
        )
    return float(amount)


def _yearly_reasons(solution: Solution, amount: float, figures: ClientFigures) -> list[str]:
    """P19: the per-client yearly caps (how many times, how much in all)."""
    out = []
    if solution.yearly_count is not None and figures.used_count + 1 > solution.yearly_count:
        out.append(
            f"This client already had {solution.title} {figures.used_count} time(s) in the last 12 "
            f"months; the yearly cap is {solution.yearly_count}."
        )
    total = figures.used_total + amount
    if solution.yearly_total is not None and total > solution.yearly_total:
        out.append(
            f"With this offer the client would get {fmt(total, solution.unit)} in 12 months; the "
            f"yearly cap is {fmt(solution.yearly_total, solution.unit)}."
        )
    return out


def _limit_reasons(solution: Solution, amount: float, figures: ClientFigures) -> list[str]:
    """Why an amount is beyond the limits (empty when it is within all of them)."""
    unit, out = solution.unit, []
    if solution.limit is not None and amount > solution.limit:
        out.append(f"{fmt(amount, unit)} is beyond the pre-approved limit of {fmt(solution.limit, unit)}.")
    share = _share_in_units(solution, figures)
    if share is not None and amount > share:
        out.append(
            f"{fmt(amount, unit)} is more than {solution.limit_share:.0%} of the client's monthly value "
            f"({fmt(share, unit)})."
        )
    return out + _yearly_reasons(solution, amount, figures)


def decide(solution: Solution, *, amount: float, role: str | None, figures: ClientFigures) -> Decision:
    """P19: within the limits a granting role may offer it; beyond them (or another role) needs approval.

    An approver proposing beyond the limit approves it in the same act (P7: no waiting on oneself).
    `role` None is the system (jobs, demo): it grants within the limits like an owner, but beyond them
    a person must approve.
    """
    reasons = _limit_reasons(solution, amount, figures)
    role_name = role or "owner"
    may_grant = role_name in solution.grant_roles
    if not may_grant:
        article = "An" if role_name[:1] in "aeiou" else "A"
        reasons.append(f"{article} {role_name} may not grant {solution.title} alone.")
    needs = bool(reasons)
    approved = needs and role is not None and role in solution.approver_roles
    limit = effective_limit(solution, figures)
    if needs:
        who = " or ".join(solution.approver_roles)
        reasons.append(
            "Approved by the proposer, who may approve it."
            if approved
            else f"{who} must approve it before the client sees it."
        )
    else:
        reasons.append(f"{fmt(amount, solution.unit)} is within the pre-approved limits.")
    return Decision(
        not _limit_reasons(solution, amount, figures), needs, approved, limit, solution.unit, reasons
    )


def decide_custom(*, role: str | None) -> Decision:
    """P19: a remedy outside the catalog always needs an owner's approval (given at once if one proposes)."""
    approved = role in CUSTOM_APPROVERS
    reason = "A custom remedy is outside the catalog: " + (
        "approved by the proposer, an owner."
        if approved
        else "an owner must approve it before the client sees it."
    )
    return Decision(False, True, approved, None, "", [reason])
