"""Turn the learnt heads' probabilities into threats and a category, each with its evidence (P5).

Why separate from the rules: a threat is a learnt judgement (the corpus heads read negation, questions,
third parties' words and neutral uses like "our lawyer approved the terms"), while the rules' cue spans
(`signals.find_threats`) only say *where* the threat is, so a person sees the words behind the flag.
When the heads found a threat but no cue matched ("he will tell all the cafe owners he knows"), the
sentence the heads rate highest is the evidence.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from accord.triage import signals
from accord.triage.category import CATEGORIES, category_spans

THREAT_AT = 0.5  # a threat is reported from this probability
CATEGORY_AT = 0.4  # below this, the category proposed is "other", saying what it looked most like

SentenceScorer = Callable[[list[str], str], list[float]]


def threats(text: str, probs: dict[str, float], score_sentences: SentenceScorer) -> dict[str, dict[str, Any]]:
    """Each threat kind: present, confidence (the heads' probability) and the evidence spans."""
    cues = signals.threat_cues(text)
    out: dict[str, dict[str, Any]] = {}
    for kind in signals.THREAT_KINDS:
        p = float(probs[kind])
        present = p >= THREAT_AT
        evidence = _evidence(text, kind, cues[kind], score_sentences) if present else []
        out[kind] = {"present": present, "confidence": round(p, 4), "evidence": evidence}
    return out


def _evidence(
    text: str, kind: str, cues: list[dict[str, Any]], score_sentences: SentenceScorer
) -> list[dict[str, Any]]:
    """The cue spans that the rules did not rule out first, any cue next, else the best sentence."""
    kept = [c for c in cues if not c["blocked"]]
    chosen = kept or cues
    if chosen:
        return [{k: c[k] for k in ("start", "end", "text", "signal")} for c in chosen]
    spans = signals.sentences(text)
    if not spans:
        return []
    scores = score_sentences([text[a:b] for a, b in spans], kind)
    a, b = spans[max(range(len(spans)), key=lambda i: scores[i])]
    return [{"start": a, "end": b, "text": text[a:b], "signal": kind}]


def category(text: str, probs: dict[str, float]) -> tuple[str, str, list[tuple[int, int, str]]]:
    """(category proposed, a note when unsure, evidence spans): a weak best guess proposes "other"."""
    best = max(CATEGORIES, key=lambda c: probs.get(c, 0.0))
    p = probs.get(best, 0.0)
    if best != "other" and p < CATEGORY_AT:
        note = f"low confidence: it looks most like {best} ({p:.0%}), so triage proposes other"
        return "other", note, []
    return best, "", category_spans(text, best)
