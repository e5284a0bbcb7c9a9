"""Pure offer rules: limit checks (P19) and haggling detection with evidence spans (P20)."""

from __future__ import annotations

import re
from dataclasses import dataclass

PERCENT_KINDS = ("credit_percent",)


@dataclass(frozen=True)
class LimitCheck:
    """Whether an amount is within what anyone may offer, and who must approve it otherwise."""

    within: bool
    amount: float
    limit: float
    approver_roles: tuple[str, ...]

    @property
    def message(self) -> str:
        """A sentence a person understands."""
        if self.within:
            return f"{_fmt(self.amount)} is within the pre-approved limit of {_fmt(self.limit)}."
        return (
            f"{_fmt(self.amount)} is beyond the pre-approved limit of {_fmt(self.limit)}; "
            f"{' or '.join(self.approver_roles)} must approve it before the client sees it."
        )


def _fmt(value: float) -> str:
    return f"{value:g}"


def check_limit(*, amount: float, limit: float, approver_roles: tuple[str, ...]) -> LimitCheck:
    """P19: a solution may be offered up to its limit; beyond needs an approver."""
    return LimitCheck(within=amount <= limit, amount=amount, limit=limit, approver_roles=approver_roles)


@dataclass(frozen=True)
class HagglingSignal:
    """One phrase that treats our offer as an opening bid, with where it is in the text."""

    kind: str
    phrase: str
    start: int
    end: int


_AMOUNT = (
    r"(?:\d{1,3}(?:[,.]\d{3})*(?:\.\d+)?\s?%|[$€£]\s?\d[\d,.]*"
    r"|\d[\d,.]*\s?(?:dollars|euros|pounds|usd|eur|gbp))"
)
PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(rx, re.IGNORECASE))
    for kind, rx in (
        (
            "asks_for_more",
            r"\b(?:can|could) (?:you|we) do (?:any )?better\b|\bdo better than (?:that|this)\b"
            r"|\bis that (?:really )?the best you can do\b|\bsweeten (?:the|this) (?:deal|offer)\b",
        ),
        (
            "rejects_as_too_little",
            r"\b(?:that|this|it)(?:'s| is| was)? (?:simply |just |still )?"
            r"not (?:nearly )?enough\b|\b(?:insulting|derisory|laughable) offer\b|\bnot good enough\b",
        ),
        ("demands_amount", r"\bwe (?:want|expect|demand|need|require|insist on) (?:at least |a )?" + _AMOUNT),
        ("meet_halfway", r"\bmeet (?:us|me) (?:in the middle|halfway|half way)\b|\bsplit the difference\b"),
        (
            "counter_offer",
            r"\b(?:how about|what about|we(?:'d| would) (?:accept|settle for|take)|"
            r"make it|at least)\s+(?:a )?" + _AMOUNT,
        ),
    )
)


def find_haggling(text: str) -> list[HagglingSignal]:
    """P20: phrases that bargain over an offer that was meant as the compromise; overlaps are kept once."""
    found: list[HagglingSignal] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in PATTERNS:
        for match in pattern.finditer(text):
            span = match.span()
            if any(span[0] < end and start < span[1] for start, end in taken):
                continue
            taken.append(span)
            found.append(HagglingSignal(kind, match.group(0), span[0], span[1]))
    return sorted(found, key=lambda s: s.start)


def haggling_advice(*, termination_terms: str, repeated: bool) -> list[str]:
    """What to do about haggling (P20), in plain words, with the client's own exit terms (P1)."""
    advice = [
        "Hold the offer: it is the compromise, not an opening bid. Restate it once, kindly and plainly.",
        "If they think it is unfair, ask how they would solve it fairly within both sides' limits.",
    ]
    terms = termination_terms.strip() or "none recorded on the client record"
    if repeated:
        advice.append(f"The demands keep coming: follow the contract's termination terms ({terms}).")
    else:
        advice.append(f"If the demands continue, the contract's termination terms apply: {terms}.")
    return advice
