"""Context-aware completeness: does the reply restate the client's concern, recognise its impact and give a
concrete next step (P13 steps 2, 3 and 5; P22)? Judged against the client's message; silent without one.

With the learnt heads (for a family whose threshold reached precision >= 0.8 on validation), each
family's probability comes from a calibrator over six features: the best
sentence's "presence" logit (this sentence acknowledges / empathises / gives a step), the phrase cues'
verdict, how close the closest reply sentence is to the client's message (cosine of MiniLM
embeddings), how many of the client's content words come back, the reply head's logit and a
constant. Only what the cues find missing is flagged; the calibrated probability says `warn` (above
the family's threshold) or `info`. Without the heads the phrase cues decide alone.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

from accord.coach import cues
from accord.coach.findings import CONCERN_SLOT, CaseContext, Finding
from accord.coach.judge import CALIB_FEATURES, Heads, Judged, embed_texts, sentences

MAX_CLIENT_SENTENCES = 12

# A step for the client now (reply with X, call this number, use this link) or a move to a call: a short
# reply that only asks for details or a call still tells the client what happens next (issue 19).
ASK_STEP = re.compile(
    r"\b(?:(?:please|could you|can you|would you|kindly)\b[^.?!\n]{0,50}?\b(?:send|reply|e-?mail|dm|"
    r"message|share|provide|forward|fill|call|ring|phone|text|contact|reach|get in touch|give us|give me)"
    r"|(?:send|drop|shoot) (?:us|me) (?:a |an )?(?:dm|direct message|private message|pm|message|e-?mail)"
    r"|(?:call|phone|ring|text|e-?mail|contact|reach) (?:us|me) (?:directly )?(?:on|at|via)\b"
    r"|give (?:us|me) a (?:call|ring)|(?:set up|arrange|book|schedule) a (?:call|meeting|time)"
    r"|(?:I|we)(?:'d| would) (?:like|love|be happy) to (?:call|speak|talk|chat|discuss)"
    r"|(?:I|we)(?:'ll| will) (?:call|ring|phone) you|(?:our|my) (?:direct )?(?:number|line|e-?mail) is)",
    re.IGNORECASE,
)
# A named channel or a concrete ask is a step too, as real replies give it (issue 19, corpus train split):
# "raise a ticket via in-app support", "share the transaction ID", a link or an address to write to,
# "please let us know the reason", "follow the steps below", "contact me directly".
NAMED_STEP = re.compile(
    r"\b(?:(?:raise|submit|open|log) (?:a |your |an )?(?:concern|ticket|complaint|request|query)"
    r"|(?:via|through|on|at|to) (?:our |the )?(?:in-?app|support (?:channel|page|portal)|"
    r"help ?(?:centre|center|desk))"
    r"|https?://\S+|\bwww\.\S+|\b[\w.-]+@[\w-]+\.[\w.]+|\bt\.uber\.com/\S+"
    r"|(?:share|provide|send|mention|tell us)(?: us| me)? (?:the |your |a )?(?:ticket|transaction|booking|"
    r"order|reservation|reference|registered|contact|details|reason)"
    r"|(?:please|kindly|request(?:ing)? you to|we recommend (?:that )?you)\b[^.?!\n]{0,60}?\b"
    r"(?:let (?:us|me) know (?:the|what|more|how|which|where|why)|tell us|follow|try again|clear|update|"
    r"elaborate|mention|head|write to|drop)"
    r"|(?:if you would (?:like to )?|please |kindly )(?:contact|email|call|phone|ring|reach) me"
    r"|(?:contact|email|call|reach) me (?:personally|directly))",
    re.IGNORECASE,
)
MESSAGES = {
    "missing_acknowledgement": (
        "The reply never restates what the client is worried about (P13).",
        "Open with their concern in your words: 'You told us {concern}.'",
    ),
    "missing_empathy": (
        "No sentence recognises how this affects the client (P13).",
        "Add 'I can see how disruptive {concern_short} has been for you.'",
    ),
    "missing_next_step": (
        "The client cannot tell what happens next or when (P13, P22).",
        "Add a dated step: 'I will call you by {when} with the fix.'",
    ),
}


def has_empathy(masked: str) -> bool:
    """Some sentence recognises how this affects the client (P13 step 3)."""
    return any(
        cues.EMPATHY_IMPACT.search(s.text) and cues.EMPATHY_PERSPECTIVE.search(s.text)
        for s in sentences(masked)
    )


def has_next_step(masked: str) -> bool:
    """Some sentence commits to an action with a time, asks for what we need, names where to write, or moves
    to a call (P13)."""
    return any(
        (cues.TIME.search(s.text) and cues.COMMIT.search(s.text))
        or ASK_STEP.search(s.text)
        or NAMED_STEP.search(s.text)
        for s in sentences(masked)
    )


def has_acknowledgement(text: str, masked: str, ctx: CaseContext) -> bool:
    """The reply restates the concern: an explicit cue, the concern phrase or the client's own words."""
    if cues.ACK_CUE.search(masked):
        return True
    if ctx.concern and ctx.concern.lower() in text.lower():
        return True
    return overlap(text, ctx) >= 1.0


def overlap(text: str, ctx: CaseContext) -> float:
    """Client content words found in the reply, as a share of min(2, their count): 1.0 means restated."""
    theirs = _client_words(ctx.client_message or ctx.concern)
    if not theirs:
        return 0.0
    return len(theirs & cues.content_words(text)) / min(2, len(theirs))


@lru_cache(maxsize=256)
def _client_words(message: str) -> frozenset[str]:
    return frozenset(cues.content_words(message))


def has_context(ctx: CaseContext | None) -> bool:
    """The client's message (or its concern) is known; without it these checks stay quiet."""
    return ctx is not None and bool((ctx.client_message or ctx.concern).strip())


def rule_verdicts(text: str, masked: str, ctx: CaseContext) -> dict[str, bool]:
    """For each completeness family, True when the phrase cues say the part is missing."""
    return {
        "missing_acknowledgement": not has_acknowledgement(text, masked, ctx),
        "missing_empathy": not has_empathy(masked),
        "missing_next_step": not has_next_step(masked),
    }


def client_similarity(judged: Judged, ctx: CaseContext) -> float:
    """Cosine of the reply sentence closest to any sentence of the client's message."""
    theirs = [s.text for s in sentences(ctx.client_message or ctx.concern)][:MAX_CLIENT_SENTENCES]
    if not theirs or not judged.sentences:
        return 0.0
    return float((judged.emb @ embed_texts(theirs).T).max())


def features(
    heads: Heads, judged: Judged, family: str, missing_by_rule: bool, sim: float, ov: float
) -> np.ndarray:
    """[best presence logit, cues say missing, similarity to the client, word overlap, reply logit, 1]."""
    i = heads.index(family)
    best = float(judged.logits[:, i].max()) if judged.sentences else -10.0
    row = np.zeros(CALIB_FEATURES)
    row[:] = (best, float(missing_by_rule), sim, min(ov, 1.0), float(judged.reply[i]), 1.0)
    return row


def _suggestion(family: str, ctx: CaseContext, when: str) -> str:
    """The model line with the client's concern in it; with none known, a slot to fill and "this" (a
    stand-in phrase such as "what went wrong" reads as a typo: "how disruptive what went wrong has been")."""
    concern = ctx.concern or CONCERN_SLOT
    short = " ".join(ctx.concern.split()[:8]) if ctx.concern else "this"
    return MESSAGES[family][1].format(concern=concern, concern_short=short, when=when)


def _rules_only(missing_by_rule: bool, *, learnt: bool) -> str | None:
    """The cues' verdict: `warn` when no heads are installed (as before); `info` next to heads that have
    no validated threshold for the family: on real replies the cues alone fired on a third of the clean
    ones (issue 19), so they may not warn uncalibrated."""
    if not missing_by_rule:
        return None
    return "info" if learnt else "warn"


def _severity(heads: Heads, family: str, conf: float, missing_by_rule: bool) -> str | None:
    """Only what the cues find missing is flagged (a dated step, a request for details or a call is a
    next step by definition); the judge says whether to act on it: `warn` above the threshold, else `info`."""
    if not heads.trusted(family) or not missing_by_rule:
        return _rules_only(missing_by_rule, learnt=True)
    return "warn" if conf >= heads.warn_at[family] else "info"


def completeness_findings(
    text: str, masked: str, ctx: CaseContext | None, heads: Heads | None, judged: Judged | None, when: str
) -> list[Finding]:
    """missing_* findings for a whole reply, judged against the client's message (quiet without it)."""
    if ctx is None or not has_context(ctx):
        return []
    verdicts = rule_verdicts(text, masked, ctx)
    found = []
    sim = client_similarity(judged, ctx) if heads is not None and judged is not None else 0.0
    ov = overlap(text, ctx)
    for family, missing in verdicts.items():
        conf: float | None = None
        severity = _rules_only(missing, learnt=heads is not None)
        if heads is not None and judged is not None and family in heads.families:
            feats = features(heads, judged, family, missing, sim, ov)
            conf = float(heads.confidence(family, feats[None, :])[0])
            severity = _severity(heads, family, conf, missing)
        if severity is not None:
            message = MESSAGES[family][0]
            found.append(Finding(family, severity, 0, 0, "", message, _suggestion(family, ctx, when), conf))
    return found
