"""Case severity 1-4 from the triage signals and the client context (P4, P5).

This is case severity (how much attention the case needs), not the Trosborg reproach level.

The rubric, in points:

| signal                                                   | points |
|----------------------------------------------------------|--------|
| reads as a complaint (probability >= 0.5)                 | 1      |
| accusation or blame (reproach level >= 3)                 | 1      |
| strong anger (anger probability >= 0.6)                   | 1      |
| threat of legal action                                    | 3      |
| threat to cancel or leave                                 | 2      |
| threat of public reviews or telling others                | 2      |
| money at stake is named                                   | 1      |
| the problem is happening again                            | 1      |
| a deadline is set                                         | 1      |
| high-value client (monthly value >= 5,000)                | 1      |
| client already has open cases (>= 1)                      | 1      |
| client had earlier conflicts (>= 2)                       | 1      |

Severity: 0-1 points -> 1 (minor, fix now), 2-3 -> 2 (needs attention), 4-5 -> 3 (serious, full assessment),
6 or more -> 4 (critical, owner handles). A legal threat alone makes it at least 3 (P5).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

HIGH_VALUE_MONTHLY = 5000.0


@dataclass(frozen=True)
class Context:
    """What the desk knows about the client beyond the text."""

    monthly_value: float = 0.0
    open_cases: int = 0
    earlier_conflicts: int = 0

    @classmethod
    def from_any(cls, value: Context | dict[str, Any] | None) -> Context:
        if value is None:
            return cls()
        if isinstance(value, Context):
            return value
        return cls(
            monthly_value=float(value.get("monthly_value") or 0),
            open_cases=int(value.get("open_cases") or 0),
            earlier_conflicts=int(value.get("earlier_conflicts") or 0),
        )


def _text_points(s: dict[str, Any]) -> list[tuple[int, str]]:
    threats = s["threats"]
    rules = [
        (s["complaint"] >= 0.5, 1, "the message reads as a complaint"),
        (s["reproach"] >= 3, 1, "the writer accuses or blames us"),
        (s["anger"] >= 0.6, 1, "the writer is angry"),
        (threats["legal"]["present"], 3, "they mention legal action"),
        (threats["churn"]["present"], 2, "they threaten to cancel or leave"),
        (threats["review"]["present"], 2, "they threaten public reviews or telling others"),
        (bool(s["money"]), 1, "money is at stake"),
        (bool(s["recurrence"]), 1, "the problem is happening again"),
        (bool(s["deadline"]), 1, "they set a deadline"),
    ]
    return [(pts, why) for ok, pts, why in rules if ok]


def _context_points(ctx: Context) -> list[tuple[int, str]]:
    rules = [
        (ctx.monthly_value >= HIGH_VALUE_MONTHLY, f"a high-value client ({ctx.monthly_value:,.0f} a month)"),
        (ctx.open_cases >= 1, f"the client already has {ctx.open_cases} open case(s)"),
        (ctx.earlier_conflicts >= 2, f"the client had {ctx.earlier_conflicts} earlier conflicts"),
    ]
    return [(1, why) for ok, why in rules if ok]


def score(signals: dict[str, Any], context: Context | dict[str, Any] | None = None) -> tuple[int, list[str]]:
    """Severity 1-4 and the reasons behind it, in plain words."""
    found = _text_points(signals) + _context_points(Context.from_any(context))
    points = sum(p for p, _ in found)
    level = 1 if points <= 1 else 2 if points <= 3 else 3 if points <= 5 else 4
    if signals["threats"]["legal"]["present"]:
        level = max(level, 3)
    reasons = [why for _, why in found] or ["no sign of a complaint or of risk"]
    return level, reasons
