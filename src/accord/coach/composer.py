"""Reply composer: a draft for a purpose from the playbook's template and the case facts (P13, P14, P16, P22).

The playbook's template is used when it passes the coach for this case; otherwise Accord's own
template for the purpose (coach/templates.py) is used, which adapts the apology to fault and legal state.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from accord import clock
from accord.coach import templates as t
from accord.coach.findings import CaseContext
from accord.coach.rules import check_reply
from accord.errors import Invalid

_PROBLEM = re.compile(
    r"\b(?:not|never|no|down|wrong|twice|missing|broken|late|fail\w*|error\w*|charg\w*|unacceptable|still|without|"
    r"crash\w*|lost|delay\w*|overdue|slow|stopp\w*|can't|cannot|won't|isn't|didn't|problem|issue)\b",
    re.IGNORECASE,
)
_GREETING = re.compile(
    r"^\s*(?:hi|hello|hey|dear|good (?:morning|afternoon|evening))\b[^,.!\n]*[,.!]?\s*", re.IGNORECASE
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_SENTENCE_START = re.compile(r"(^|[.!?]\s+|\n\n)([a-z])")
MAX_CONCERN_WORDS = 18


def extract_concern(message: str) -> str:
    """The first sentence of the client's message that states the problem, trimmed and unquoted."""
    sentences = [s.strip() for s in _SENTENCE_END.split(_GREETING.sub("", message or "")) if s.strip()]
    if not sentences:
        return ""
    chosen = next((s for s in sentences if _PROBLEM.search(s)), sentences[0])
    chosen = chosen.replace('"', "").replace("\u201c", "").replace("\u201d", "").rstrip(".!? ")
    words = chosen.split()
    if len(words) > MAX_CONCERN_WORDS:
        chosen = " ".join(words[:MAX_CONCERN_WORDS]) + " ..."
    return chosen


def format_when(value: datetime | str | None) -> str:
    """A next-update time a person reads, e.g. 'Tuesday 24 November at 5 pm (UTC)'."""
    if isinstance(value, str) and value.strip():
        return value.strip()
    if not isinstance(value, datetime):
        value = _next_working_day(clock.now())
    hour = value.hour % 12 or 12
    minutes = f":{value.minute:02d}" if value.minute else ""
    suffix = "am" if value.hour < 12 else "pm"
    return f"{value:%A} {value.day} {value:%B} at {hour}{minutes} {suffix} (UTC)"


def _next_working_day(start: datetime) -> datetime:
    day = start + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day.replace(hour=17, minute=0, second=0, microsecond=0)


def _apology(ctx: CaseContext, purpose: str) -> str:
    line = t.APOLOGIES.get((ctx.fault, ctx.legal_pending), "")
    if not line and purpose == "mistake":
        return t.MISTAKE_FALLBACK_APOLOGY
    return line


def _values(ctx: CaseContext, purpose: str) -> dict[str, str]:
    concern = f'the problem you described ("{ctx.concern}")' if ctx.concern else "the issue you raised"
    offer = (ctx.offer or "").strip().rstrip(".")
    if not offer:
        offer = (
            "the solution we proposed"
            if purpose == "firm"
            else "put it right at no cost to you and confirm each step in writing"
        )
    return {
        "client_name": ctx.contact_name or ctx.client_name or "there",
        "concern": concern,
        "next_update": format_when(ctx.next_update),
        "offer": offer,
        "our_name": ctx.spokesperson or t.DEFAULT_SIGNATURE,
        "case_ref": ctx.case_ref,
        "fix": t.DEFAULT_FIX,
        "plan": t.DEFAULT_PLAN,
        "apology": _apology(ctx, purpose),
    }


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


def _fill(template: str, values: dict[str, str]) -> str | None:
    try:
        text = template.format_map(_Blank(values))
    except (ValueError, IndexError, AttributeError):
        return None
    return _SENTENCE_START.sub(lambda m: m.group(1) + m.group(2).upper(), text.strip())


def _passes(draft: str, ctx: CaseContext) -> bool:
    """No warning, and complete: a missing part noted only as `info` (uncalibrated cues) still fails a
    draft we write ourselves (P13)."""
    found = check_reply(draft, case_context=ctx, whole_reply=True)
    return not any(f.severity != "info" or f.rule.startswith("missing_") for f in found)


def compose_reply(case_context: CaseContext, purpose: str, *, templates: dict[str, str] | None = None) -> str:
    """A draft for `purpose` that passes the coach: the playbook's template if it passes, else Accord's."""
    if purpose not in t.PURPOSES:
        raise Invalid(f"Unknown purpose '{purpose}'. Purposes: {', '.join(t.PURPOSES)}.")
    values = _values(case_context, purpose)
    candidates = [templates[purpose]] if templates and templates.get(purpose) else []
    candidates.append(t.DEFAULT_TEMPLATES[purpose])
    draft = ""
    for template in candidates:
        filled = _fill(template, values)
        if filled is None:
            continue
        draft = filled
        if _passes(draft, case_context):
            break
    return draft
