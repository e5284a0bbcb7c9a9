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
            r"|\bis that (?:really )?the best you can do\b|\bsweeten (?:the|this) (?:deal|offer)\b"
            r"|\bwhat(?:'s| is) the (?:very )?best (?:you|you guys) (?:can|could) (?:do|offer)\b"
            r"|\bis that (?:really )?all you can (?:do|offer)\b",
        ),
        (
            "rejects_as_too_little",
            r"\b(?:that|this|it)(?:'s| is| was)? (?:simply |just |still )?"
            r"not (?:nearly )?enough\b|\b(?:insulting|derisory|laughable) offer\b|\bnot good enough\b",
        ),
        ("demands_amount", r"\bwe (?:want|expect|demand|need|require|insist on) (?:at least |a )?" + _AMOUNT),
        (
            "demands_free",
            r"\bwe (?:want|expect|demand|need|require|insist on|deserve)\b[^.?!\n]{0,40}?"
            r"(?:\b(?:month|months|week|weeks|year|quarter|invoice|hours?)\s+(?:free|for free|off|at no "
            r"(?:cost|charge))\b|\b(?:full|complete|total) refund\b|\bfree of charge\b)",
        ),
        ("meet_halfway", r"\bmeet (?:us|me) (?:in the middle|halfway|half way)\b|\bsplit the difference\b"),
        (
            "counter_offer",
            r"\b(?:how about|what about|we(?:'d| would) (?:accept|settle for|take)|"
            r"make it|at least)\s+(?:a )?" + _AMOUNT,
        ),
    )
)


# Words just before a phrase that turn it around ("we don't expect a full month free").
_NEGATED = re.compile(
    r"\b(?:not|never|no|don't|do not|doesn't|didn't|won't|wouldn't|aren't|isn't)\b[^.?!\n]{0,20}$",
    re.IGNORECASE,
)


def _quoted_lines(text: str) -> list[tuple[int, int]]:
    """Lines quoted from earlier mail ("> ..."): our own words or old ones, not the client's new ask."""
    out, pos = [], 0
    for line in text.splitlines(keepends=True):
        if line.lstrip().startswith(">"):
            out.append((pos, pos + len(line)))
        pos += len(line)
    return out


def _blocked(text: str, start: int, end: int, quoted: list[tuple[int, int]]) -> bool:
    """A phrase inside a quoted line, or negated just before it, is not haggling (near misses)."""
    if any(q0 <= start and end <= q1 for q0, q1 in quoted):
        return True
    return bool(_NEGATED.search(text[max(0, start - 30) : start]))


def find_haggling(text: str) -> list[HagglingSignal]:
    """P20: phrases that bargain over an offer that was meant as the compromise; overlaps are kept once.

    Like triage's threats: quoted lines and negated phrases are skipped, and each hit keeps its span.
    """
    found: list[HagglingSignal] = []
    taken: list[tuple[int, int]] = []
    quoted = _quoted_lines(text)
    for kind, pattern in PATTERNS:
        for match in pattern.finditer(text):
            span = match.span()
            if any(span[0] < end and start < span[1] for start, end in taken) or _blocked(
                text, *span, quoted
            ):
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


@dataclass(frozen=True)
class Step:
    """One offer on a case as the firmness rules see it: who made it, how much, and its money value."""

    offer_id: int
    origin: str
    amount: float
    unit: str
    money: float


def _bigger(new: Step, old: Step) -> bool:
    """Compare in money when both have a money value, else in the same unit; else they are not comparable."""
    if new.money > 0 and old.money > 0:
        return new.money > old.money
    return new.unit == old.unit and new.amount > old.amount


@dataclass(frozen=True)
class Drift:
    """P20: a new offer larger than our last one on the case, with every offer we made so far."""

    last: Step
    new: Step
    history: list[Step]

    @property
    def message(self) -> str:
        """The warning shown before sending, with the history."""
        trail = " -> ".join(f"{s.amount:g} {s.unit}".strip() for s in [*self.history, self.new])
        return (
            f"Concession drift: this offer ({self.new.amount:g} {self.new.unit}) is larger than the last "
            f"one on the case ({self.last.amount:g} {self.last.unit}). Offers so far: {trail}. "
            "The offer is the compromise, not an opening bid (P20): hold it, or confirm the larger offer."
        ).replace(" )", ")")


def concession_drift(history: list[Step], new: Step) -> Drift | None:
    """P20: warn when our new offer is larger than the last one we made on the same case."""
    ours = [s for s in history if s.origin == "us"]
    if not ours or not _bigger(new, ours[-1]):
        return None
    return Drift(ours[-1], new, ours)


@dataclass(frozen=True)
class HistorySignal:
    """Haggling seen in the offer history rather than in words: counters and growing demands (P20)."""

    kind: str
    offer_id: int
    text: str


def history_haggling(history: list[Step]) -> list[HistorySignal]:
    """P20: a client counter after our offer is haggling; a counter above their last one, a growing demand."""
    out: list[HistorySignal] = []
    last_counter: Step | None = None
    for i, step in enumerate(history):
        if step.origin != "client":
            continue
        if any(s.origin == "us" for s in history[:i]):
            out.append(HistorySignal("counter_after_offer", step.offer_id, "countered our offer"))
        if last_counter is not None and _bigger(step, last_counter):
            text = f"asked for {step.amount:g} {step.unit} after asking for {last_counter.amount:g}"
            out.append(HistorySignal("growing_demand", step.offer_id, text.strip()))
        last_counter = step
    return out
