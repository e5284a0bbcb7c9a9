"""Concrete rewrites for sentences the learnt judge flags without a listed phrase (issue 19; P14, P16, P17).

A rewrite edits the flagged sentence itself where a known move applies (drop the hedge, put 'we' back
as the actor, name what the apology is for); otherwise it offers a plain sentence built from the case's
concern and next update.
"""

from __future__ import annotations

import re
from datetime import datetime

from accord.coach.findings import CONCERN_SLOT, CaseContext

_F = re.IGNORECASE
EDITS: dict[str, tuple[tuple[re.Pattern[str], str], ...]] = {
    "hedging": (
        (re.compile(r"\b(we|I)(?:'ll| will| shall) (?:try|attempt|endeavou?r) (?:to|and) ", _F), r"\1 will "),
        (re.compile(r"\b(we|I)(?:'ll| will) do (?:our|my) (?:very )?best to ", _F), r"\1 will "),
        (re.compile(r"\b(we|I) (?:hope|aim|expect) to ", _F), r"\1 will "),
        (re.compile(r"\bhopefully,? ", _F), ""),
        (
            re.compile(r"\b(?:as soon as (?:possible|we can|practicable)|asap|shortly|soon)\b", _F),
            "by {when}",
        ),
        (re.compile(r"\b(should|might|may|could) be\b", _F), "will be"),
    ),
    "non_apology": (
        (
            re.compile(
                r"\b(sorry|apologi[sz]e|apologies) (?:for|about) (?:any|the) (?:inconvenience|"
                r"confusion|trouble|frustration|issues?|disappointment)[^.!?]*",
                _F,
            ),
            r"\1 that {concern}",
        ),
        (
            re.compile(r"\b(sorry|regret) (?:if|that) you (?:feel|felt|were|are|think)[^.!?]*", _F),
            r"\1 that {concern}",
        ),
    ),
    "evasive_passive": (
        (
            re.compile(
                r"\b(?:the |your |our )?([a-z]+) (?:was|were|has been|have been|got) "
                r"(?:accidentally |mistakenly )?([a-z]+ed)\b(?! by)",
                _F,
            ),
            r"we \2 the \1",
        ),
        (re.compile(r"\bmistakes? (?:was|were|has been|have been) made\b", _F), "we made a mistake"),
    ),
    "blame_or_excuse": (
        (re.compile(r",? ?(?:due to|because of|owing to) [^,.!?]*", _F), ""),
        (re.compile(r"\bthe system\b", _F), "our system"),
    ),
    "condescension": (
        (
            re.compile(
                r"\b(?:as (?:previously|already) (?:explained|stated|mentioned)|as per my last "
                r"(?:email|message)|please note that|for future reference|obviously),? ",
                _F,
            ),
            "",
        ),
    ),
}
FALLBACK = {
    "non_apology": "Name what went wrong: 'I am sorry that {concern}.'",
    "double_talk": "Say it plainly: what went wrong, what you will do, and when: 'We {fix} by {when}.'",
    "evasive_passive": "Name who did it: 'We made the mistake with {concern_short}, and we are fixing it.'",
    "blame_or_excuse": "Own it: 'We got {concern_short} wrong, and here is how we are putting it right.'",
    "condescension": "Restate the point kindly: 'To recap, {concern_short}: here is what I will do next.'",
    "hedging": "Commit to what you control: 'We will have this fixed by {when}.'",
}
# The same model lines when the client's concern is unknown (a reply checked outside a case, or a case
# with no client message yet): "this" stands in, since "We got what went wrong wrong" reads as a typo.
FALLBACK_NO_CONCERN = {
    "non_apology": f"Name what went wrong: 'I am sorry that {CONCERN_SLOT}.'",
    "evasive_passive": "Name who did it: 'We made this mistake, and we are fixing it.'",
    "blame_or_excuse": "Own it: 'We got this wrong, and here is how we are putting it right.'",
    "condescension": "Restate the point kindly: 'To recap what happened: here is what I will do next.'",
}


def when_text(ctx: CaseContext | None) -> str:
    """The next update as a person reads it, or a concrete stand-in to replace."""
    value = ctx.next_update if ctx is not None else None
    if isinstance(value, str) and value.strip():
        return value.strip()
    if isinstance(value, datetime):
        hour = value.hour % 12 or 12
        return f"{value:%A} at {hour} {'am' if value.hour < 12 else 'pm'}"
    return "5 pm tomorrow"


def _concern(ctx: CaseContext | None) -> str:
    return (ctx.concern if ctx is not None else "").rstrip(".!? ")


def suggest(family: str, sentence: str, ctx: CaseContext | None) -> str:
    """A rewrite of `sentence`: the sentence edited where a known move applies, else a model line."""
    values = {
        "when": when_text(ctx),
        "concern": _concern(ctx),
        "concern_short": " ".join(_concern(ctx).split()[:8]),
        "fix": "will put it right",
    }
    edited = sentence
    for pattern, repl in EDITS.get(family, ()):
        if "{concern" in repl and not values["concern"]:
            continue  # an edit that names the concern needs one: the model line below has a slot
        edited = pattern.sub(repl, edited)
    if edited != sentence and edited.strip():
        edited = re.sub(r"\s{2,}", " ", edited).strip()
        return "Rewrite: '" + _fill(edited[0].upper() + edited[1:], values) + "'"
    templates = FALLBACK if values["concern"] else {**FALLBACK, **FALLBACK_NO_CONCERN}
    return _fill(templates.get(family, "Say it plainly, with who does what by when."), values)


def _fill(template: str, values: dict[str, str]) -> str:
    """Put the case's values in; plain replacement, so braces typed in the reply stay as they are."""
    for key, value in values.items():
        template = template.replace("{" + key + "}", value)
    return template
