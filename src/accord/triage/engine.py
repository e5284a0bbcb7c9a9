"""`triage(text)`: read one client message like a seasoned account lead (P4, P5). Pure: no database.

Long messages (emails, reviews) are cut into chunks of whole sentences; each chunk is scored by the
same models that score a tweet, and the scores are combined: complaint is the mean of the two most
complaining chunks, anger the highest chunk, the reproach level and the category the complaint-weighted
average; each threat may mix its highest chunk with its highest single sentence, so one threatening
sentence in a long email is not diluted (share and threshold chosen in training, `model.Corpus`; a message
of several chunks mixes in at least `model.LONG_SENTENCE_SHARE` and is judged at `model.LONG_THRESHOLD`; a
short one with no share is not split into sentences).
Threats and the category come from heads learnt on our own corpus (`judge.py`), with the rules' spans
as evidence; without those artifacts the rules alone decide.
An automatic reply (out of office, delivery notice) is not a complaint: it gets severity 1 and says why.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from accord.text import clean_text
from accord.triage import autoreply, judge, rubric, signals
from accord.triage import category as cat
from accord.triage.model import get_model, vader

CHUNK_CHARS = 300
MAX_CHARS = 100_000
REPROACH_NAMES = ("not a complaint", "no explicit reproach", "disapproval", "accusation", "blame")


@dataclass
class Triage:
    """Everything triage says about one message; `as_dict()` is its JSON form."""

    complaint: float
    reproach: int
    reproach_probs: list[float]
    anger: float
    sentiment: float
    threats: dict[str, dict[str, Any]]
    recurrence: list[dict[str, Any]]
    deadline: list[dict[str, Any]]
    money: list[dict[str, Any]]
    category: str
    category_probs: dict[str, float]
    severity: int
    reasons: list[str]
    evidence: list[dict[str, Any]] = field(default_factory=list)
    model_version: str = ""
    category_note: str = ""  # says so when the category is a low-confidence "other"
    automatic: bool = False  # an auto-reply or system mail: not triaged as a complaint

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["reproach_name"] = REPROACH_NAMES[self.reproach]
        return out


def chunks(text: str) -> list[str]:
    """Whole sentences packed into chunks of about CHUNK_CHARS characters (one chunk for a short text)."""
    if len(text) <= CHUNK_CHARS:
        return [text]
    out: list[str] = []
    for start, end in signals.sentences(text):
        piece = text[start:end]
        if out and len(out[-1]) + len(piece) < CHUNK_CHARS:
            out[-1] = out[-1] + " " + piece
        else:
            out.append(piece)
    return out or [text]


Scores = dict[str, Any]  # complaint, reproach (5 levels), anger, and the corpus heads' probabilities


def _aggregate(probs: dict[str, np.ndarray], sentence: dict[str, np.ndarray] | None = None) -> Scores:
    """Combine the chunks' scores (see the module docstring); `sentence` holds the scores of the message's
    sentences one by one (None for a one-sentence message), for the threats."""
    comp = probs["complaint"]
    top = np.sort(comp)[::-1][:2]
    complaint = float(top.mean())
    weights = comp / comp.sum() if comp.sum() > 0 else np.full(len(comp), 1 / len(comp))
    sev = (probs["severity"] * weights[:, None]).sum(0)
    out: Scores = {
        "complaint": complaint,
        "reproach": np.concatenate([[1 - complaint], complaint * sev]),
        "anger": float(probs["anger"].max()),
    }
    if "category" in probs:
        mix = (probs["category"] * weights[:, None]).sum(0)
        out["category"] = {c: round(float(p), 4) for c, p in zip(cat.CATEGORIES, mix, strict=True)}
        out["threats"] = _threats(probs, sentence)
    return out


def _threats(probs: dict[str, np.ndarray], sentence: dict[str, np.ndarray] | None) -> dict[str, float]:
    """Each threat: the corpus heads' mix of the highest chunk and the highest single sentence (a message
    of several chunks always mixes in its sentences: `model.LONG_SENTENCE_SHARE`)."""
    corpus = get_model().corpus
    long = len(probs[signals.THREAT_KINDS[0]]) > 1
    out = {}
    for kind in signals.THREAT_KINDS:
        whole = float(probs[kind].max())
        best = whole if sentence is None else float(sentence[kind].max())
        out[kind] = whole if corpus is None else corpus.threat(kind, whole, best, long)
    return out


def _sentence_units(text: str, long: bool) -> list[str]:
    """The message's sentences when it has several and the threats read them one by one, else none: a
    `long` message (several chunks) always, a short one when training gave the sentences a share."""
    corpus = get_model().corpus
    if corpus is None:
        return []
    if not long and not any(share > 0 for share, _ in corpus.judging.values()):
        return []
    spans = signals.sentences(text)
    return [text[a:b] for a, b in spans] if len(spans) > 1 else []


def _score_batch(texts: list[str]) -> list[Scores]:
    """Model scores for many messages at once (all chunks and the sentences the threats read: one batch)."""
    pieces = [chunks(t) for t in texts]
    sents = [_sentence_units(t, len(ps) > 1) for t, ps in zip(texts, pieces, strict=True)]
    flat = [p for ps in pieces for p in ps] + [s for ss in sents for s in ss]
    probs = get_model().predict(flat)
    out, i, j = [], 0, sum(len(ps) for ps in pieces)
    for ps, ss in zip(pieces, sents, strict=True):
        sentence = {k: v[j : j + len(ss)] for k, v in probs.items()} if ss else None
        out.append(_aggregate({k: v[i : i + len(ps)] for k, v in probs.items()}, sentence))
        i, j = i + len(ps), j + len(ss)
    return out


def _sentence_scores(sentences: list[str], kind: str) -> list[float]:
    """The corpus n-gram head's threat probability per sentence (to point at the evidence)."""
    corpus = get_model().corpus
    return [0.0] * len(sentences) if corpus is None else [float(p) for p in corpus.predict(sentences)[kind]]


@dataclass
class _Reading:
    """What the rules find in a message (plain signals, sentiment), plus the learnt threats and category."""

    threats: dict[str, dict[str, Any]]
    plain: dict[str, list[signals.Span]]
    category: str
    category_probs: dict[str, float]
    category_note: str
    sentiment: float
    spans: list[signals.Span]


def _read(text: str, scores: Scores) -> _Reading:
    plain = {name: signals.find_plain(text, name) for name in ("recurrence", "deadline", "money")}
    if "threats" in scores:
        threats = judge.threats(text, scores["threats"], _sentence_scores)
        cat_probs = scores["category"]
        category, note, cat_spans = judge.category(text, cat_probs)
    else:  # artifacts without the corpus heads: the rules decide
        threats = signals.find_threats(text)
        category, cat_probs = cat.categorize(text)
        note, cat_spans = "", cat.category_spans(text, category)
    spans = signals.threat_spans(threats) + [s for found in plain.values() for s in found]
    spans += [signals.Span(a, b, t, "category") for a, b, t in cat_spans]
    return _Reading(threats, plain, category, cat_probs, note, float(vader([text])[0, 3]), spans)


def _build(reading: _Reading, scores: Scores, context: Any, automatic: str = "") -> Triage:
    complaint, reproach_probs, anger = scores["complaint"], scores["reproach"], scores["anger"]
    plain = reading.plain
    reproach = int(np.argmax(reproach_probs))
    facts = {
        "complaint": complaint,
        "reproach": reproach,
        "anger": anger,
        "threats": reading.threats,
        **plain,
    }
    severity, reasons = rubric.score(facts, context)
    return Triage(
        complaint=round(complaint, 4),
        reproach=reproach,
        reproach_probs=[round(float(p), 4) for p in reproach_probs],
        anger=round(anger, 4),
        sentiment=round(reading.sentiment, 4),
        threats=reading.threats,
        recurrence=[s.as_dict() for s in plain["recurrence"]],
        deadline=[s.as_dict() for s in plain["deadline"]],
        money=[s.as_dict() for s in plain["money"]],
        category=reading.category,
        category_probs=reading.category_probs,
        severity=severity,
        reasons=reasons,
        evidence=[s.as_dict() for s in sorted(reading.spans, key=lambda s: (s.start, s.end))],
        model_version=get_model().version,
        category_note=reading.category_note,
    )


def _automatic(text: str, why: str) -> Triage:
    """An auto-reply or system mail: no complaint, no threat, severity 1, and the words that show it."""
    quiet = {"present": False, "confidence": 0.0, "evidence": []}
    span = autoreply.find(text)
    evidence = [{"start": span[0], "end": span[1], "text": text[span[0] : span[1]], "signal": "automatic"}]
    return Triage(
        complaint=0.0,
        reproach=0,
        reproach_probs=[1.0, 0.0, 0.0, 0.0, 0.0],
        anger=0.0,
        sentiment=0.0,
        threats={k: dict(quiet) for k in signals.THREAT_KINDS},
        recurrence=[],
        deadline=[],
        money=[],
        category="other",
        category_probs={c: float(c == "other") for c in cat.CATEGORIES},
        severity=1,
        reasons=[why],
        evidence=evidence if span[1] > span[0] else [],
        model_version=get_model().version,
        automatic=True,
    )


AUTOMATIC_REASON = "an automatic reply or system message, not a complaint"


def triage(
    text: str, *, context: rubric.Context | dict[str, Any] | None = None, automatic: bool = False
) -> Triage:
    """Triage one message; `context` may carry monthly_value, open_cases and earlier_conflicts, and
    `automatic` says intake already knows it is an auto-reply (from its headers)."""
    text = clean_text(text, field="text", max_chars=MAX_CHARS)
    if automatic or autoreply.subject_line(text):
        return _automatic(text, AUTOMATIC_REASON)
    return _settle(text, _score_batch([text])[0], context)


def triage_many(texts: list[str], *, context: rubric.Context | dict[str, Any] | None = None) -> list[Triage]:
    """Triage many messages with one model batch (faster than one by one)."""
    cleaned = [clean_text(t, field="text", max_chars=MAX_CHARS) for t in texts]
    if not cleaned:
        return []
    auto = [autoreply.subject_line(t) for t in cleaned]
    scores = iter(_score_batch([t for t, a in zip(cleaned, auto, strict=True) if not a]))
    return [
        _automatic(text, AUTOMATIC_REASON) if is_auto else _settle(text, next(scores), context)
        for text, is_auto in zip(cleaned, auto, strict=True)
    ]


def _settle(text: str, scores: Scores, context: Any) -> Triage:
    """Triage a scored message, or call it automatic when it reads as one and threatens nothing: "I'm away
    until Wednesday, so confirm the quote by tomorrow or we go elsewhere" is a client, not a notice."""
    result = _build(_read(text, scores), scores, context)
    if autoreply.find(text)[1] and not any(v["present"] for v in result.threats.values()):
        return _automatic(text, AUTOMATIC_REASON)
    return result
