"""Reply structure the bag of words cannot see: one explainable number per question (issue 19; P13, P14, P17).

Why: the reply heads read n-grams and sentence embeddings, which see *that* a reply says "soon" but not
*that nothing else in it* gives a step or a date; the editor's line for hedging is exactly that ("we'll get
back to you soon" is hedging unless a step the customer can take now, or a time, comes with it). The same
holds for the other families in a weaker way: a failure told without an actor anywhere, a reminder of
what the client "was informed", an apology that never names what went wrong. Each feature is a
whole-reply count or flag that the reply head of its family (FAMILY_KEYS) weighs beside its other
columns; the head learns how much each is worth on train+val (coach_reply), so none warns on its own.
"""

from __future__ import annotations

import math
import re

from accord.coach import cues
from accord.coach.completeness import has_next_step

_F = re.IGNORECASE

# The time words that promise "when" without a time, and the effort words that promise "how hard"
# without a result; VAGUE_TIME (hedging: "resolved at the earliest", "we will try our best") is both.
_SOON_WORDS = (
    r"soon|shortly|at the earliest|earliest possible|as soon as (?:possible|we can|practicable)|asap"
    r"|as early as possible|in due course|at the soonest|in the near future"
)
_EFFORT_WORDS = (
    r"(?:we|I)(?:'ll| will| shall| would| can| could)? (?:try|attempt|strive|endeavou?r)"
    r"|level best|(?:do|doing|try) (?:our|my) best|every (?:possible )?effort|(?:we|I) hope to"
)
VAGUE_TIME = re.compile(r"\b(?:" + _SOON_WORDS + "|" + _EFFORT_WORDS + r")\b", _F)
# For the dated-promise check: the time words alone, the effort words that hedge whatever follows them
# (with "hopefully" and "should fix"), and a firm deadline: "we'll get back to you soon, by 5 pm
# tomorrow at the latest" is a commitment the client can hold us to (the families file: a time makes
# it concrete), "we'll try to fix it by Friday" is not.
SOON = re.compile(r"\b(?:" + _SOON_WORDS + r")\b", _F)
EFFORT = re.compile(
    r"\b(?:" + _EFFORT_WORDS + r"|hopefully|should (?:be )?(?:resolve|fix|work))\b",
    _F,
)
DEADLINE = re.compile(
    r"\b(?:(?:by|before|no later than) (?:" + cues.WEEKDAY + r"|tomorrow|tonight|today|noon|midday"
    r"|(?:the )?end of (?:the |this )?(?:day|week)|close of business|\d{1,2}(?::\d{2})?\s?(?:am|pm)"
    r"|\d{1,2}:\d{2}|the \d{1,2}(?:st|nd|rd|th)?)|at the latest)\b",
    _F,
)


def deadline_keeps_promise(masked: str, sentences: list[tuple[int, int]]) -> bool:
    """Every "soon" of the reply shares its sentence with a firm deadline, and nothing hedges the effort:
    the promise is dated, so hedging must not warn (P17). `sentences` are (start, end) spans of `masked`.
    On train+val no real reply is like this; the rule states the editor's line the heads never saw."""
    soons = list(SOON.finditer(masked))
    if not soons or EFFORT.search(masked):
        return False
    return _each_shares_a_sentence_with(soons, DEADLINE, masked, sentences)


def _each_shares_a_sentence_with(
    found: list[re.Match[str]], other: re.Pattern[str], masked: str, sentences: list[tuple[int, int]]
) -> bool:
    """Every match in `found` has `other` in its own sentence (the whole text when no span holds it)."""
    for m in found:
        start, end = next(((a, b) for a, b in sentences if a <= m.start() < b), (0, len(masked)))
        if not other.search(masked[start:end]):
            return False
    return True


# A failure told in the passive with no "by ...": "a mistake was made", "the order got cancelled",
# "the issue has been escalated", "necessary action will be taken".
AGENTLESS_PASSIVE = re.compile(
    r"\b(?:was|were|has been|have been|had been|got|gets|is being|are being|will be|shall be|would be)"
    r"\s+(?:\w+ly\s+)?(?:\w+ed|made|taken|done|lost|missed|sent|kept|left|overlooked|forgotten|given|shown)"
    r"\b(?![^.!?\n]{0,30}\bby (?:me|us|our|my|the (?:team|staff|agent)|our)\b)",
    _F,
)
# Telling the client what they should already know (condescension).
REMINDER = re.compile(
    r"\b(?:please (?:note|be (?:informed|advised|aware))|kindly (?:note|be (?:informed|advised))"
    r"|(?:as|like) (?:we |I )?(?:previously |already |earlier |clearly )?(?:mentioned|informed|stated|"
    r"explained|communicated|advised|said|told)"
    r"|you were (?:already |clearly |duly )?(?:informed|told|advised|notified|made aware)"
    r"|(?:we|I) (?:would like to|wish to|want to|must) (?:inform|clarify|reiterate|remind|point out)"
    r"|for your (?:kind )?(?:information|reference)|(?:please|kindly) (?:understand|read|check) (?:that|the)"
    r"|it is (?:clearly )?(?:mentioned|stated))\b",
    _F,
)
# An apology on condition or for the client's feelings ("sorry if", "sorry you feel", "sorry for any").
HOLLOW_APOLOGY = re.compile(
    r"\b(?:sorry|apologi[sz]e|apologies|regret)\b,? (?:if|that you (?:feel|felt)|you (?:feel|felt)|for any"
    r"|any)\b",
    _F,
)

# A cause given for the failure ("due to the weekend", "because of heavy traffic"), blame_or_excuse's
# cue when the reply nowhere owns the fault (OWN_FAULT): "the delay was due to our mistake" is no excuse.
CAUSE = re.compile(
    r"\b(?:due to|because of|as a result of|owing to|caused by|on account of|resulting from"
    r"|(?:is|was|were|are) (?:dependent|depending) on|beyond our control|at their end"
    r"|from (?:the|your) bank'?s? (?:end|side))\b",
    _F,
)
# What "we didn't ..." owns only with a duty of ours after it ("we didn't call you back"); a bare "we did not"
# is as often a denial that puts the failure elsewhere ("we did not receive your payment").
_OUR_DUTY = (
    r"deliver|meet|live up|keep|follow|handle|communicate|inform|tell|update|notify|call|respond|reply"
    r"|get back|send|check|honou?r|process|do (?:enough|better|what|our)|give you|let you know|warn|explain"
)
# The reply owns the failure: "our mistake", "we should have", "we take full responsibility".
OWN_FAULT = re.compile(
    r"\b(?:our (?:fault|mistake|error|failure|bad)|(?:we|I) (?:made|have made) (?:a |an )?(?:mistake|error)"
    r"|(?:we|I) (?:take|accept) (?:full |complete )?(?:responsibility|ownership|the blame)"
    r"|(?:we|I) (?:should|could) have"
    r"|(?:we|I) (?:got|did) (?:it|this|that) wrong"
    r"|(?:we|I) (?:let you|dropped the ball|messed up|failed to)"
    r"|(?:we|I) (?:did not|didn't) (?:" + _OUR_DUTY + r"))\b",
    _F,
)


def cause_is_owned(masked: str, sentences: list[tuple[int, int]]) -> bool:
    """Every cause the reply gives shares its sentence with words that own the fault ("owing to a delay in
    our payout run; that was our mistake"): the reply explains its own failure rather than excusing it, so
    blame_or_excuse must not warn (P14). A fault owned in one sentence and a cause put elsewhere in another
    ("we did not meet your expectations ... due to the bank") stays with the heads. `sentences` are
    (start, end) spans of `masked`. On train+val no real reply is like this; the rule states the family's
    own line ("instead of owning it") that the heads never saw."""
    causes = list(CAUSE.finditer(masked))
    return bool(causes) and _each_shares_a_sentence_with(causes, OWN_FAULT, masked, sentences)


# Which family's head reads which column (coach_reply zeroes the others in each family's fit): on
# out-of-fold train+val a column helped only the family it was written for, and a cause-outside-us count
# (bank, server, policy, "you should have") lowered blame_or_excuse, so it was dropped; a cause sentence in
# a reply that owns no fault (cause_no_fault) raised it (0.62 -> 0.64 at the same precision).
FAMILY_KEYS = {
    "non_apology": ("hollow_apology", "unnamed_apology"),
    "evasive_passive": ("agentless_passive",),
    "blame_or_excuse": ("cause_no_fault",),
    "condescension": ("reminder",),
    "hedging": ("vague_time_no_step", "vague_time", "no_step_no_time"),
}
KEYS = (
    "vague_time_no_step",
    "vague_time",
    "no_step_no_time",
    "agentless_passive",
    "reminder",
    "hollow_apology",
    "unnamed_apology",
    "cause_no_fault",
)


def features(masked: str) -> dict[str, float]:
    """The structure numbers of a quote-masked reply: flags as 0/1, counts as log1p (see KEYS)."""
    vague = bool(VAGUE_TIME.search(masked))
    step = has_next_step(masked)
    dated = bool(cues.TIME.search(masked))
    apology = bool(cues.APOLOGY.search(masked))
    return {
        "vague_time_no_step": float(vague and not step and not dated),
        "vague_time": float(vague),
        "no_step_no_time": float(not step and not dated),
        "agentless_passive": _log_count(AGENTLESS_PASSIVE, masked),
        "reminder": _log_count(REMINDER, masked),
        "hollow_apology": _log_count(HOLLOW_APOLOGY, masked),
        "unnamed_apology": float(apology and not cues.NAMED_APOLOGY.search(masked)),
        "cause_no_fault": float(bool(CAUSE.search(masked)) and not OWN_FAULT.search(masked)),
    }


def _log_count(pattern: re.Pattern[str], text: str) -> float:
    return float(math.log1p(sum(1 for _ in pattern.finditer(text))))
