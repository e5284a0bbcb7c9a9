"""Where each threat cue stands in its sentence: the scopes a learnt head needs to read context (P5).

Why: a bag of n-grams sees "cancel" and "lawyer" but not whose words they are, whether they are negated,
asked about, quoted, said of someone else, or aimed at a meeting rather than the contract ("cancel the
meeting", "our lawyer approved the terms", "the tenant says she'll go to the tribunal"). For each threat
kind these flags say, over the kind's cues, which scopes occur; the corpus heads learn how much each counts
(`model.Corpus.transform`). The rules' own verdict is one of the flags, so nothing the rules knew is lost.
"""

from __future__ import annotations

import re

import numpy as np

from accord.triage import signals
from accord.triage.sentiment import vader

_THIRD_PARTY = re.compile(
    r"\b(?:he|she|they|his|her|their|someone|somebody|another (?:patient|client|customer|member|tenant)|"
    r"(?:my|our|the) (?:husband|wife|partner|neighbou?r|friend|sister|brother|mum|mother|dad|father|son|"
    r"daughter|customers?|clients?|tenants?|landlord|employer|ex|old|previous|former|other side|defendant|"
    r"insurer|accountant|builder)|other side|defendant|client's|customer's)\b",
    re.I,
)
_FIRST_PERSON = re.compile(r"\b(?:i|we|i'm|we're|i've|we've|i'll|we'll|i'd|we'd|im|ive|ill|us)\b", re.I)
_COMMITTED = re.compile(
    r"\b(?:will|'ll|going to|gonna|have decided|decided|already|have|has|'ve|am|are|is|now|today|"
    r"effective|final|this is|consider this|treat this|take this|accept this)\b",
    re.I,
)
_NEUTRAL_OBJECT = re.compile(
    r"^\W*(?:(?!(?:after|before|since|because|when|and|but|so|just|need|needs|only)\b)[\w-]+'?s?\s+){0,3}"
    r"(?:meeting|appointment|appt|session|order|booking|class|lesson|clean|tasting|ticket|server|droplet|"
    r"seats?|users?|draft|trial|newsletter|add-?on|job|shoot|call|visit|slot|dinner|party|event|rehearsal|"
    r"dns|plan to|contractor|intern|staging|instance|domain|card|bank|direct debit from)\b",
    re.I,
)
_INBOUND = re.compile(
    r"\b(?:to you|with you (?:from|instead)|over to you|renew with you|stay(?:ing)? with you|"
    r"(?:from|with) (?:our|my|the) (?:old|previous|former|current|other) \w+|"
    r"(?:the|our|my) registration here)\b",
    re.I,
)
_QUESTION = re.compile(
    r"^\W*(?:how|what|can|could|would|is|are|do|does|will|should|where|when|why|any idea)\b|\?\s*$", re.I
)
_REASSURED = re.compile(
    r"\b(?:not (?:going|planning|moving|leaving|switching|cancelling|thinking)|staying|happy|thank|"
    r"love|great|brilliant|recommend|no complaint|nothing wrong|not unhappy|all good|so far so good|"
    r"pleased|(?<!n't )(?<!not )(?<!never )(?:resolved|sorted))\b",
    re.I,
)
FLAGS = (
    "cue",
    "kept",
    "rule",
    "negated",
    "conditional",
    "question",
    "quoted",
    "third_party",
    "first_person",
    "committed",
    "neutral_object",
    "inbound",
    "reassured",
    "praise",
    "hostile",
)
PRAISE_AT = 0.5  # VADER compound of the cue's sentence from which it reads as praise
HOSTILE_AT = -0.3  # ... and from which (downwards) it reads as hostile


def _cue_flags(text: str, sentence: tuple[int, int], start: int, end: int, blocked: bool) -> list[bool]:
    a, b = sentence
    before = signals.clause_before(text[a:b], start - a)
    after = text[end:b]
    words_before = " ".join(before.split()[-7:])
    own_words = _after_subject(words_before)
    tone = _tone(text[a:b])
    return [
        True,
        not blocked,
        False,
        bool(signals.NEGATION.search(own_words)),
        bool(signals.CONDITION.search(before)),
        bool(_QUESTION.search(text[a:b])),
        any(q0 <= start and end <= q1 for q0, q1 in signals.quoted_ranges(text)),
        bool(_THIRD_PARTY.search(words_before)),
        bool(_FIRST_PERSON.search(before)),
        bool(_COMMITTED.search(before)),
        bool(_NEUTRAL_OBJECT.search(after)),
        bool(_INBOUND.search(text[a:b])),
        bool(_REASSURED.search(text)),
        tone >= PRAISE_AT,
        tone <= HOSTILE_AT,
    ]


def _after_subject(words: str) -> str:
    """The words after the writer's last "I"/"we": a negation before it belongs to another clause ("if this
    isn't sorted we will cancel" negates the condition, not the cancelling), one after it stays ("we're
    not going to cancel"); all the words when there is no "I"/"we" ("no plans to cancel")."""
    found = list(_FIRST_PERSON.finditer(words))
    return words[found[-1].start() :] if found else words


def _tone(sentence: str) -> float:
    """VADER's compound score of the cue's sentence: spreading the word is a threat only when it is bad news
    ("I'll tell every parent in Year 6 how much Maya improved!" is a recommendation, P5)."""
    return float(vader([sentence])[0, 3])


def features(text: str) -> np.ndarray:
    """Per threat kind, the FLAGS over its cues (set when any cue has the scope): (3 * len(FLAGS),)."""
    spans = signals.sentences(text)
    cues = signals.threat_cues(text)
    verdict = signals.find_threats(text)
    out = np.zeros((len(signals.THREAT_KINDS), len(FLAGS)), dtype=np.float32)
    for k, kind in enumerate(signals.THREAT_KINDS):
        for cue in cues[kind]:
            start, end = cue["start"], cue["end"]
            assert isinstance(start, int) and isinstance(end, int)
            sentence = next(((a, b) for a, b in spans if a <= start < b), (0, len(text)))
            out[k] = np.maximum(out[k], _cue_flags(text, sentence, start, end, bool(cue["blocked"])))
        out[k, FLAGS.index("rule")] = bool(verdict[kind]["present"])
    return out.reshape(-1)


def matrix(texts: list[str]) -> np.ndarray:
    """`features` of many texts: (n, 3 * len(FLAGS))."""
    return np.stack([features(t) for t in texts]) if texts else np.zeros((0, 3 * len(FLAGS)), np.float32)
