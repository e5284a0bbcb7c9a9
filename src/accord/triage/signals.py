"""Rule-based signals with evidence: threats (legal, churn, review), recurrence, deadline, money (P5).

Each finding is a `Span` over the original text. A threat cue does not count when it is negated
("we are not going to sue"), sits inside the condition of a hypothetical ("if we wanted to cancel"),
is reported speech inside quotes, or is a plain how-to question ("how do I cancel my order?").
An ultimatum ("if this is not fixed by Friday we will cancel") does count: the cue is in the main clause.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

THREAT_KINDS = ("legal", "churn", "review")

_LEGAL = [
    r"\b(?:my|our|a|the)\s+(?:lawyers?|attorneys?|solicitors?|legal (?:team|counsel|department))\b",
    r"\blawyers?\b",
    r"\battorneys?\b",
    r"\bsolicitors?\b",
    r"\b(?:sue|suing|sued|lawsuit|legal action|legal proceedings|small claims|litigation)\b",
    r"\b(?:take|taking|see) (?:you|this|them|it)(?: all the way)? to court\b",
    r"\bcourt\b",
    r"\bcharge ?backs?\b",
    r"\bdispute (?:the|this|these) (?:charge|payment|transaction)s?\b",
    r"\b(?:regulators?|ombudsman|trading standards|consumer protection|attorney general|FTC|FCA|Ofcom)\b",
    r"\b(?:report|reporting) (?:you|this|it) to (?:the )?(?:authorities|police|regulator)\b",
    r"\bbreach of contract\b",
]
_CHURN = [
    r"\bcancel(?:l?ing|l?ed)? (?:our|my|the) "
    r"(?:contract|subscription|account|membership|retainer|service|plan)s?\b",
    r"\bterminat(?:e|ing|ed) (?:our|my|the) (?:contract|agreement|subscription|account|relationship)\b",
    r"\bend (?:our|my|the) (?:contract|agreement|relationship|partnership)\b",
    r"\b(?:take|taking|move|moving) (?:our|my) (?:business|account|work|money) "
    r"(?:elsewhere|somewhere else|to (?:another|a different|a new|a competing) "
    r"(?:agency|provider|vendor|supplier|company|firm))\b",
    r"\b(?:switch|switching|move|moving|go|going) to (?:a |another |your )?"
    r"(?:competitors?|another (?:provider|agency|vendor|supplier|company))\b",
    r"\b(?:look|looking|start looking) for (?:a new|another|a different) (?:provider|agency|vendor|supplier|"
    r"partner|company)\b",
    r"\b(?:leave|leaving) you\b",
    r"\bnot renew(?:ing)?\b",
    r"\bwon't be renewing\b",
    r"\bclos(?:e|ing) (?:our|my) accounts?\b",
    r"\b(?:this|that) (?:was|is|will be) (?:my|our) (?:last|final) "
    r"(?:visit|order|booking|appointment|job|project|month|year|season|invoice|payment)\b",
    r"\b(?:last|final) (?:order|project|invoice) (?:with|from) you\b",
    r"\bdone with you\b",
]
_REVIEW = [
    r"\b(?:bad|negative|honest|one[- ]star|1[- ]star|scathing) reviews?\b",
    r"\b(?:review|rate) you on\b",
    r"\b(?:trustpilot|yelp|google reviews|glassdoor|better business bureau|BBB)\b",
    r"\btell (?:everyone|everybody|all my friends|all our contacts|my network|the world)\b",
    r"\b(?:post|posting|share|sharing|write|writing) (?:about )?(?:this|it) (?:on|all over) "
    r"(?:social media|twitter|facebook|linkedin|reddit|instagram|tiktok)\b",
    r"\b(?:social media|linkedin|twitter|facebook|reddit)\b",
    r"\b(?:warn|warning) (?:others|other (?:people|customers|businesses))\b",
    r"\bgo(?:ing)? public\b",
    r"\b(?:the )?press\b|\bjournalists?\b",
]
# Wider cues, used only to point at the words behind a threat the learnt heads found (`judge.py`); the
# heads decide, so these may be broad ("notice", "review") without raising false alarms.
_CUES_EXTRA = {
    "legal": [
        r"\b(?:legal|lawyers?|attorneys?|solicitors?|courts?|tribunal|claim(?:ing|s)?|compensation|damages|"
        r"liab(?:le|ility)|disput(?:e|es|ed|ing)|charge ?backs?|ombudsman|regulators?|complaint with|"
        r"letter before (?:action|claim)|formal notice|sue|suing)\b",
        # official bodies, indirect lawyers and card disputes (issue 18: "my bank is disputing the payment")
        r"\b(?:barrister|counsel|no win no fee|demand letter|proceedings|negligen\w*|breach|mediation|"
        r"arbitration|trading standards|fair trading|consumer (?:affairs|forum|court|rights)|council|"
        r"environmental health|building control|police|action fraud|CQC|Care Quality Commission|GDC|"
        r"General Dental Council|SRA|ICO|ICAEW|ASA|ACCC|BBB|FTC|NCAT|VCAT|deposit protection|"
        r"section 75|paypal dispute|unauthori[sz]ed|fraud|revers\w* (?:the|every|all|them)|"
        r"(?:my|our) (?:bank|card company|credit card|card provider|insurers?)|"
        r"report(?:ed|ing)? (?:you|it|this))\b",
    ],
    "churn": [
        r"\b(?:cancel\w*|terminat\w*|notice|not (?:be )?renew\w*|switch\w*|moving (?:the|our|my) \w+|"
        r"elsewhere|another (?:provider|agency|supplier|firm|company)|we'?re done|pull\w* (?:the|our) \w+|"
        r"tender\w*|leav(?:e|ing) you|competitor\w*)\b",
        r"\b(?:end(?:ing|ed|s)? (?:our|my|the|this) \w+|in-?house|(?:out )?to pitch|proposals|quotes|"
        r"alternatives?|other (?:hosts|firms|providers|"
        r"agencies|accountants|options)|(?:a |the )?new (?:provider|host|firm|company|accountants?|salon|"
        r"dentist|practice|gym|tutor|agency|supplier|hairdresser|cleaners?)|taking over|transfer (?:my|our) "
        r"\w+|won'?t (?:be )?(?:using|needing|booking|back|coming back)|never coming back|last (?:week|month|"
        r"time|order|invoice) with you|lost a customer|that's it for us|off the table|stop (?:my|our|the) "
        r"(?:dd|direct debit|plan|contract|retainer|membership)|no longer (?:wish|need|want))\b",
    ],
    "review": [
        r"\b(?:reviews?|rating|stars?|trustpilot|yelp|google|facebook|instagram|linkedin|twitter|tiktok|reddit|"
        r"social media|press|newspaper|journalists?|forum|group|everyone|everybody|tell (?:all|every)\w*|"
        r"word of mouth|public(?:ly)?|warn\w*)\b",
        r"\b(?:write-?up|blog|newsletter|podcast|network(?:ing)?|association|chamber|conference|user group|"
        r"trade show|awards|followers|video|thread|post(?:ing|ed|s)?|paper|hacker news|capterra|g2|"
        r"checkatrade|nextdoor|tripadvisor|whatsapp|slack|youtube|fb|street|school gate|parents|people talk|"
        r"hear (?:about|how|what|exactly)|will know|know (?:about|why|how))\b",
    ],
}
_RECURRENCE = [
    r"\b(?:yet )?again\b",
    r"\b(?:second|third|fourth|fifth|umpteenth|\d+(?:st|nd|rd|th)) time\b",
    r"\bstill (?:not|hasn't|haven't|isn't|doesn't|don't|no|broken|waiting|down)\b",
    r"\bonce more\b",
    r"\bkeeps? (?:happening|breaking|failing|crashing)\b",
    r"\bevery (?:single )?time\b",
    r"\brepeatedly\b",
    r"\bhow many (?:more )?times\b",
    r"\b(?:as|like) (?:last|every) (?:time|month|week)\b",
]
_DAYS = (
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|tonight|today|end of (?:the )?"
    r"(?:day|week|month)|eod|eow|close of business|cob|noon|midnight)"
)
_MONTHS = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*"
_DEADLINE = [
    rf"\b(?:by|before|until|no later than) (?:this |next |the )?{_DAYS}\b",
    rf"\b(?:by|before|until|no later than|on) (?:the )?\d{{1,2}}(?:st|nd|rd|th)?(?: of)?(?: {_MONTHS})?\b",
    rf"\b(?:by|before|until|no later than|on) {_MONTHS} \d{{1,2}}(?:st|nd|rd|th)?\b",
    r"\bwithin (?:the next )?\d+ (?:hours?|days?|business days?|working days?|weeks?)\b",
    r"\bwithin (?:24|48|72) ?h(?:ours|rs)?\b",
    r"\b\d{4}-\d{2}-\d{2}\b",
    r"\bdeadline\b",
    r"\basap\b",
]
_MONEY = [
    r"(?:[$€£]|usd ?|eur ?|gbp ?)\s?\d[\d,]*(?:\.\d+)?(?:\s?[kKmM]\b)?",
    r"\b\d[\d,]*(?:\.\d+)?\s?(?:dollars|euros|pounds|usd|eur|gbp|bucks)\b",
]

NEGATION = re.compile(
    r"\b(?:not|never|no|n't|nobody|won't|wont|don't|dont|didn't|isn't|aren't|without|no intention of|"
    r"no plans? to|no desire to|wouldn't|would never|nothing)\b|n't\b",
    re.I,
)
CONDITION = re.compile(r"\b(?:if|even if|unless|whether|in case|suppose|supposing|imagine)\b", re.I)
_HYPOTHETICAL = re.compile(
    r"\b(?:would have|could have|might have|some (?:clients|customers|people)|other (?:clients|customers)|"
    r"in theory|hypothetically|for example|last year|years ago|used to|once had|a friend)\b",
    re.I,
)
_HOWTO = re.compile(r"^\s*(?:how (?:do|can|would)|can i|can we|where (?:do|can)|is it possible)\b", re.I)
_COMMIT = re.compile(
    r"\b(?:will|'ll|going to|gonna|have no choice|left with no choice|intend to|plan to|"
    r"about to|ready to|considering|seriously)\b",
    re.I,
)
_MAIN_CLAUSE = re.compile(r"\b(?:will|'ll|going to|gonna|we are|we're|i am|i'm|have no choice)\b", re.I)
_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|\n|$)")
_QUOTE = re.compile(r"[\"“”][^\"“”]{1,300}[\"“”]")


@dataclass(frozen=True)
class Span:
    """A piece of the text that supports a signal."""

    start: int
    end: int
    text: str
    signal: str

    def as_dict(self) -> dict[str, object]:
        return {"start": self.start, "end": self.end, "text": self.text, "signal": self.signal}


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of a text (also splits at line breaks)."""
    out = []
    for m in _SENTENCE.finditer(text):
        chunk = m.group(0)
        if chunk.strip():
            lead = len(chunk) - len(chunk.lstrip())
            out.append((m.start() + lead, m.start() + len(chunk.rstrip())))
    return out


def _compile(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.I)


_RULES = {"legal": _LEGAL, "churn": _CHURN, "review": _REVIEW}
_PATTERNS = {
    name: _compile(p)
    for name, p in (
        ("legal", _LEGAL),
        ("churn", _CHURN),
        ("review", _REVIEW),
        ("recurrence", _RECURRENCE),
        ("deadline", _DEADLINE),
        ("money", _MONEY),
    )
}


def clause_before(sentence: str, offset: int) -> str:
    """The words of the clause that lead up to a match (after the last comma/semicolon/dash)."""
    head = sentence[:offset]
    cut = max(head.rfind(","), head.rfind(";"), head.rfind(" - "), head.rfind(" but "), head.rfind(":"))
    return head[cut + 1 :] if cut >= 0 else head


def _threat_blocked(sentence: str, offset: int, quoted: bool) -> bool:
    """True when a threat cue at `offset` is negated, hypothetical, quoted or a how-to question."""
    if quoted or _HOWTO.search(sentence):
        return True
    clause = clause_before(sentence, offset)
    cond = CONDITION.search(clause)
    if cond:
        main = list(_MAIN_CLAUSE.finditer(clause, cond.end()))
        if not main:
            return True  # the cue sits inside the "if ..." part: a hypothetical, not a threat
        clause = clause[main[-1].start() :]  # an ultimatum: judge only its main clause
    if NEGATION.search(" ".join(clause.split()[-7:])):
        return True
    return bool(_HYPOTHETICAL.search(sentence[:offset]))


def quoted_ranges(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _QUOTE.finditer(text)]


def find_threats(text: str) -> dict[str, dict[str, object]]:
    """Legal, churn and review threats, each with presence, confidence and evidence spans."""
    quotes = quoted_ranges(text)
    found: dict[str, list[tuple[Span, float]]] = {k: [] for k in THREAT_KINDS}
    for s_start, s_end in sentences(text):
        sentence = text[s_start:s_end]
        for kind in THREAT_KINDS:
            for m in _PATTERNS[kind].finditer(sentence):
                a, b = s_start + m.start(), s_start + m.end()
                quoted = any(q0 <= a and b <= q1 for q0, q1 in quotes)
                if _threat_blocked(sentence, m.start(), quoted):
                    continue
                conf = 0.95 if _COMMIT.search(sentence) else 0.8
                found[kind].append((Span(a, b, text[a:b], kind), conf))
    return {
        kind: {
            "present": bool(hits),
            "confidence": max((c for _, c in hits), default=0.0),
            "evidence": [s.as_dict() for s, _ in hits],
        }
        for kind, hits in found.items()
    }


_CUES = {kind: _compile(_RULES[kind] + _CUES_EXTRA[kind]) for kind in THREAT_KINDS}


def threat_cues(text: str) -> dict[str, list[dict[str, object]]]:
    """Every threat cue in the text, with `blocked` True when the rules would rule it out (negated,
    hypothetical, quoted, a how-to question): where to point when the learnt heads report a threat."""
    quotes = quoted_ranges(text)
    out: dict[str, list[dict[str, object]]] = {k: [] for k in THREAT_KINDS}
    for s_start, s_end in sentences(text):
        sentence = text[s_start:s_end]
        for kind in THREAT_KINDS:
            for m in _CUES[kind].finditer(sentence):
                a, b = s_start + m.start(), s_start + m.end()
                quoted = any(q0 <= a and b <= q1 for q0, q1 in quotes)
                blocked = _threat_blocked(sentence, m.start(), quoted)
                out[kind].append({**Span(a, b, text[a:b], kind).as_dict(), "blocked": blocked})
    return out


def find_plain(text: str, signal: str) -> list[Span]:
    """Recurrence, deadline or money mentions (no negation handling needed)."""
    return [Span(m.start(), m.end(), m.group(0), signal) for m in _PATTERNS[signal].finditer(text)]


def threat_spans(threats: dict[str, dict[str, object]]) -> list[Span]:
    """The evidence of threats as spans."""
    out = []
    for kind, info in threats.items():
        for ev in info["evidence"]:  # type: ignore[attr-defined]
            out.append(Span(ev["start"], ev["end"], ev["text"], kind))
    return out
