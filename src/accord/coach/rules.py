"""Pure reply checks: text (+ optional case facts) -> findings, offline and explainable.

Quoted client text (lines starting with '>' and text inside double quotes) is masked before
any check, so the client's own words are never flagged. Offsets always refer to the original text.

| rule                     | severity | why                                                           |
|--------------------------|----------|---------------------------------------------------------------|
| double_talk              | warn     | corporate jargon hides what is wrong (P17)                    |
| evasive_passive          | warn     | passive voice hides who did it (P14, P17)                     |
| non_apology              | warn     | sounds sorry, takes no responsibility (P16)                   |
| blame_or_excuse          | warn     | defence and blame instead of owning it (P14)                  |
| condescension            | warn     | talks down ("as per my last email", "obviously") (P6, P13)    |
|                          | block    | orders the client about ("calm down", "overreacting") (P6)    |
| hedging                  | warn     | avoids a commitment ("we will try to", "hopefully") (P17)     |
| haggling_opening         | warn     | invites bargaining over a firm offer (P20)                    |
| legal_exposure           | block    | admits liability while legal review is required/in progress   |
|                          | info     | same words, no case given: check whether legal review applies |
| apology_mismatch         | warn     | fault ours and no apology; or fault the client's and we       |
|                          |          | apologise for the offence itself (P16)                        |
| missing_acknowledgement  | warn     | never restates the client's concern (P13 step 2)              |
| missing_empathy          | warn     | no sentence recognises the impact on the client (P13 step 3)  |
| missing_next_step        | warn     | no concrete action with a time (P13 step 5, P22)              |
| readability              | info     | grade level above 10 (textstat Flesch-Kincaid)                |
| length                   | info     | over 300 words                                                |

Whole-reply checks (missing_*, "no apology" and readability) run when the text has at least
MIN_REPLY_WORDS words, or when the caller says it is a whole reply. The missing_* checks also need the
client's message they answer (completeness.py) and stay quiet without it (issue 19).

When the MiniLM weights and the shipped heads are installed, the six language families and the
missing_* checks are judged by the learnt heads blended with the phrases (judge.py, blend.py): each
finding then carries a confidence, and is `warn` only above its family's calibrated threshold, `info`
below it. A whole reply (15 words or more) has its language families judged by the reply-level heads
(reply_head.py), which read the phrase matches too. Without the heads the phrase rules decide alone.
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np

from accord.coach import cues, judge, reply_head, structure
from accord.coach.blend import blend_findings
from accord.coach.completeness import completeness_findings
from accord.coach.findings import CaseContext, Finding
from accord.coach.patterns import BLOCKING_CONDESCENSION, PHRASE_RULES, PhraseRule
from accord.coach.reply_head import Evidence
from accord.coach.rewrite import when_text
from accord.coach.scan import PhraseScanner

MIN_REPLY_WORDS = 25
# A "soon" that a firm deadline dates (structure.deadline_keeps_promise) is shown as information, never a
# warning: its confidence is held just under hedging's threshold.
DATED_PROMISE_CAP = 0.99
# A cause told in the same sentence as the fault owned (structure.cause_is_owned) is information, never a
# blame_or_excuse warning (P14).
OWNED_CAUSE_CAP = 0.99
MAX_GRADE = 10.0
MAX_WORDS = 300
_BLOCKING = re.compile(BLOCKING_CONDESCENSION, re.IGNORECASE)


def _compile() -> PhraseScanner:
    """One scanner over every phrase of every rule: one pass per reply (throughput)."""
    return PhraseScanner(
        [
            (f"r{ri}p{pi}", regex)
            for ri, rule in enumerate(PHRASE_RULES)
            for pi, (regex, _) in enumerate(rule.patterns)
        ]
    )


_PHRASES = _compile()


def mask_quotes(text: str) -> str:
    """Blank out quoted client text, keeping every offset in place."""

    def blank(match: re.Match[str]) -> str:
        return re.sub(r"[^\n]", " ", match.group(0))

    return cues.QUOTED_TEXT.sub(blank, cues.QUOTED_LINE.sub(blank, text))


def _severity(rule: PhraseRule, matched: str, ctx: CaseContext | None) -> str | None:
    if rule.rule == "legal_exposure":
        if ctx is None:
            return "info"
        return "block" if ctx.legal_pending else None
    if rule.rule == "condescension" and _BLOCKING.search(matched):
        return "block"
    return rule.severity


def phrase_matches(masked: str) -> list[tuple[PhraseRule, int, re.Match[str]]]:
    """Every phrase match in the masked text: (rule, pattern index, match); the reply head reads them too."""
    found = []
    for m in _PHRASES.finditer(masked):
        ri, pi = (int(n) for n in (m.lastgroup or "r0p0")[1:].split("p"))
        found.append((PHRASE_RULES[ri], pi, m))
    return found


def evidence(
    masked: str,
    emb: np.ndarray,
    matches: list[tuple[PhraseRule, int, re.Match[str]]],
    tuned: np.ndarray | None = None,
) -> Evidence:
    """What the reply-level heads read: the masked text, sentence embeddings, which phrases fired, the
    reply's structure (a vague promise with no step or date anywhere, structure.py) and the tuned network's
    logits (tuned.py)."""
    counts = Counter(rule.rule for rule, _, _ in matches)
    patterns = frozenset(rule.patterns[pi][0] for rule, pi, _ in matches)
    logits = np.zeros(0) if tuned is None else tuned
    return Evidence(masked, emb, dict(counts), patterns, structure.features(masked), logits)


def _reply_confidences(
    heads: judge.Heads,
    masked: str,
    words: int,
    judged: judge.Judged,
    matches: list[tuple[PhraseRule, int, re.Match[str]]],
) -> dict[str, float]:
    """The reply-level heads' verdicts, for a text as long as the replies they learnt from; a shorter text
    (a sentence being typed, a hand-written example) is left to the sentence heads (judge.py)."""
    if heads.reply is None or words < reply_head.MIN_WORDS:
        return {}
    conf = heads.reply.confidences(evidence(masked, judged.emb, matches, judged.tuned))
    spans = [(s.start, s.end) for s in judged.sentences]  # the sentences judge() already cut
    if "hedging" in conf and structure.deadline_keeps_promise(masked, spans):
        conf["hedging"] = min(conf["hedging"], DATED_PROMISE_CAP * heads.reply.warn_at["hedging"])
    if "blame_or_excuse" in conf and structure.cause_is_owned(masked, spans):
        conf["blame_or_excuse"] = min(
            conf["blame_or_excuse"], OWNED_CAUSE_CAP * heads.reply.warn_at["blame_or_excuse"]
        )
    return conf


def _trusted_spans(
    heads: judge.Heads, matches: list[tuple[PhraseRule, int, re.Match[str]]]
) -> set[tuple[int, int]]:
    """Where a phrase pattern the editor nearly always agreed with fired (`ReplyHead.trusted`)."""
    trusted = heads.reply.trusted if heads.reply is not None else {}
    return {
        (m.start(), m.end())
        for rule, pi, m in matches
        if rule.patterns[pi][0] in trusted.get(rule.rule, frozenset())
    }


def _phrase_findings(
    text: str, matches: list[tuple[PhraseRule, int, re.Match[str]]], ctx: CaseContext | None
) -> list[Finding]:
    found: list[Finding] = []
    for rule, pi, m in matches:
        severity = _severity(rule, m.group(0), ctx)
        if severity is None:
            continue
        start, end = m.start(), m.end()
        found.append(
            Finding(rule.rule, severity, start, end, text[start:end], rule.message, rule.patterns[pi][1])
        )
    return found


def _missing(rule: str, message: str, suggestion: str) -> Finding:
    return Finding(rule, "warn", 0, 0, "", message, suggestion)


def _apology_findings(masked: str, ctx: CaseContext | None, whole: bool) -> list[Finding]:
    if ctx is None:
        return []
    if ctx.fault == "client":
        return [
            Finding(
                "apology_mismatch",
                "warn",
                m.start(),
                m.end(),
                m.group(0),
                "The fault is recorded as the client's: do not apologise for the alleged offence, "
                "only for anything we handled without care (P16).",
                "Say 'I am sorry this has been frustrating' and state the facts calmly.",
            )
            for m in cues.OFFENCE_ADMISSION.finditer(masked)
        ]
    if ctx.fault == "ours" and whole and not cues.APOLOGY.search(masked):
        return [
            _missing(
                "apology_mismatch",
                "We are at fault here, and the reply does not apologise (P14, P16).",
                "Add 'I am sorry: we got this wrong, and here is how we are putting it right.'",
            )
        ]
    return []


def _info_findings(masked: str, words: int) -> list[Finding]:
    found: list[Finding] = []
    if words > MAX_WORDS:
        found.append(
            Finding(
                "length",
                "info",
                0,
                0,
                "",
                f"The reply is {words} words; long replies get skimmed.",
                "Keep it under 200 words: concern, impact, facts, next step.",
            )
        )
    if words >= MIN_REPLY_WORDS:
        grade = _grade(masked)
        if grade > MAX_GRADE:
            found.append(
                Finding(
                    "readability",
                    "info",
                    0,
                    0,
                    "",
                    f"Reading grade {grade:.0f}; aim for 8 or lower.",
                    "Use shorter sentences and everyday words.",
                )
            )
    return found


def _grade(masked: str) -> float:
    import textstat  # lazy: rule 7

    return float(textstat.flesch_kincaid_grade(masked))


def check_reply(
    text: str,
    *,
    case_context: CaseContext | None = None,
    whole_reply: bool | None = None,
    learnt: bool = True,
) -> list[Finding]:
    """All findings for a reply, in text order; `whole_reply` forces or skips the whole-reply checks;
    `learnt=False` keeps to the phrase rules (training compares against them)."""
    heads = judge.load_heads() if learnt else None
    return check_with(heads, text, case_context=case_context, whole_reply=whole_reply)


def check_with(
    heads: judge.Heads | None,
    text: str,
    *,
    case_context: CaseContext | None = None,
    whole_reply: bool | None = None,
) -> list[Finding]:
    """`check_reply` with the given heads (None: phrase rules only); training tunes thresholds with it."""
    masked = mask_quotes(text)
    words = len(cues.WORD.findall(masked))
    whole = words >= MIN_REPLY_WORDS if whole_reply is None else whole_reply
    matches = phrase_matches(masked)
    found = _phrase_findings(text, matches, case_context)
    judged = judge.judge(heads, masked) if heads is not None else None
    if heads is not None and judged is not None:
        reply = _reply_confidences(heads, masked, words, judged, matches)
        trusted = _trusted_spans(heads, matches) if reply else set()
        found = blend_findings(text, found, heads, judged, case_context, reply, trusted)
    found += _apology_findings(masked, case_context, whole)
    if whole:
        found += completeness_findings(text, masked, case_context, heads, judged, when_text(case_context))
    found += _info_findings(masked, words)
    return sorted(found, key=lambda f: (f.start, f.rule))
