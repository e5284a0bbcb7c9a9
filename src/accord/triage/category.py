"""What a message is about: the playbook's default categories, from weighted keywords, with probabilities."""

from __future__ import annotations

import math
import re

CATEGORIES = ("billing", "delay", "quality", "communication", "scope", "conduct", "outage", "other")

_KEYWORDS: dict[str, list[str]] = {
    "billing": [
        r"invoice",
        r"bill(?:ed|ing)?",
        r"charg(?:e|ed|es|ing)",
        r"refund",
        r"overcharg\w*",
        r"payment",
        r"price",
        r"fee",
        r"credit card",
        r"paid",
        r"pay",
        r"money",
        r"cost",
        r"subscription fee",
    ],
    "delay": [
        r"late",
        r"delay(?:ed|s)?",
        r"overdue",
        r"still waiting",
        r"waiting",
        r"deadline",
        r"missed",
        r"not (?:yet )?(?:arrived|delivered|shipped)",
        r"hasn't arrived",
        r"never arrived",
        r"slow",
        r"behind schedule",
        r"days? ago",
        r"weeks? ago",
        r"on time",
        r"delivery",
    ],
    "quality": [
        r"broken",
        r"defect\w*",
        r"faulty",
        r"poor quality",
        r"bugs?",
        r"errors?",
        r"mistakes?",
        r"wrong",
        r"damaged",
        r"doesn't work",
        r"does not work",
        r"not working",
        r"sloppy",
        r"quality",
        r"crash(?:es|ed|ing)?",
        r"stopped working",
    ],
    "communication": [
        r"no (?:one|body) (?:answers|replied|responds|got back)",
        r"no response",
        r"no reply",
        r"ignor(?:e|ed|ing)",
        r"unanswered",
        r"call(?:ed)? back",
        r"respond",
        r"emails?",
        r"kept in the dark",
        r"not informed",
        r"nobody told",
        r"update",
    ],
    "scope": [
        r"scope",
        r"not what we (?:asked|agreed|ordered)",
        r"agreed",
        r"extra work",
        r"change request",
        r"out of scope",
        r"requirements?",
        r"specification",
        r"contract says",
        r"not included",
    ],
    "conduct": [
        r"rude",
        r"unprofessional",
        r"disrespect\w*",
        r"attitude",
        r"shouted",
        r"yelled",
        r"insult\w*",
        r"condescending",
        r"your (?:staff|employee|rep|agent|driver)",
        r"manager",
        r"behaviou?r",
    ],
    "outage": [
        r"down",
        r"outage",
        r"offline",
        r"can't log ?in",
        r"cannot log ?in",
        r"unavailable",
        r"not loading",
        r"no service",
        r"no internet",
        r"no signal",
        r"server",
        r"website is",
    ],
}
_PATTERNS = {cat: re.compile(r"\b(?:" + "|".join(words) + r")\b", re.I) for cat, words in _KEYWORDS.items()}
_TEMPERATURE = 0.8


def categorize(text: str) -> tuple[str, dict[str, float]]:
    """The most likely category and a probability per category (softmax over keyword hits)."""
    hits = {cat: len(p.findall(text)) for cat, p in _PATTERNS.items()}
    scores = {cat: hits.get(cat, 0) / _TEMPERATURE for cat in CATEGORIES}
    scores["other"] = 0.5 / _TEMPERATURE
    top = max(scores.values())
    exp = {cat: math.exp(v - top) for cat, v in scores.items()}
    total = sum(exp.values())
    probs = {cat: round(v / total, 4) for cat, v in exp.items()}
    best = max(CATEGORIES, key=lambda c: (probs[c], c != "other"))
    return best, probs


def category_spans(text: str, category: str) -> list[tuple[int, int, str]]:
    """Where the winning category's keywords occur."""
    pattern = _PATTERNS.get(category)
    return [] if pattern is None else [(m.start(), m.end(), m.group(0)) for m in pattern.finditer(text)]
