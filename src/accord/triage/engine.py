"""`triage(text)`: read one client message like a seasoned account lead (P4, P5). Pure: no database.

Long messages (emails, reviews) are cut into chunks of whole sentences; each chunk is scored by the
same models that score a tweet, and the scores are combined: complaint is the mean of the two most
complaining chunks, anger the highest chunk, and the reproach level is the complaint-weighted average.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from accord.text import clean_text
from accord.triage import category as cat
from accord.triage import rubric, signals
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


def _aggregate(probs: dict[str, np.ndarray]) -> tuple[float, np.ndarray, float]:
    comp = probs["complaint"]
    top = np.sort(comp)[::-1][:2]
    complaint = float(top.mean())
    weights = comp / comp.sum() if comp.sum() > 0 else np.full(len(comp), 1 / len(comp))
    sev = (probs["severity"] * weights[:, None]).sum(0)
    reproach = np.concatenate([[1 - complaint], complaint * sev])
    return complaint, reproach, float(probs["anger"].max())


def _score_batch(texts: list[str]) -> list[tuple[float, np.ndarray, float]]:
    """Model scores for many messages at once (all chunks in one batch)."""
    pieces = [chunks(t) for t in texts]
    flat = [p for ps in pieces for p in ps]
    probs = get_model().predict(flat)
    out, i = [], 0
    for ps in pieces:
        out.append(_aggregate({k: v[i : i + len(ps)] for k, v in probs.items()}))
        i += len(ps)
    return out


@dataclass
class _Reading:
    """What the rules find in a message without the models (threats, plain signals, category, sentiment)."""

    threats: dict[str, dict[str, Any]]
    plain: dict[str, list[signals.Span]]
    category: str
    category_probs: dict[str, float]
    sentiment: float
    spans: list[signals.Span]


def _read(text: str) -> _Reading:
    threats = signals.find_threats(text)
    plain = {name: signals.find_plain(text, name) for name in ("recurrence", "deadline", "money")}
    category, cat_probs = cat.categorize(text)
    spans = signals.threat_spans(threats) + [s for found in plain.values() for s in found]
    spans += [signals.Span(a, b, t, "category") for a, b, t in cat.category_spans(text, category)]
    return _Reading(threats, plain, category, cat_probs, float(vader([text])[0, 3]), spans)


def _build(reading: _Reading, scores: tuple[float, np.ndarray, float], context: Any) -> Triage:
    complaint, reproach_probs, anger = scores
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
    )


def triage(text: str, *, context: rubric.Context | dict[str, Any] | None = None) -> Triage:
    """Triage one message; `context` may carry monthly_value, open_cases and earlier_conflicts."""
    text = clean_text(text, field="text", max_chars=MAX_CHARS)
    return _build(_read(text), _score_batch([text])[0], context)


def triage_many(texts: list[str], *, context: rubric.Context | dict[str, Any] | None = None) -> list[Triage]:
    """Triage many messages with one model batch (faster than one by one).

    The rules read the texts on a side thread while the encoder runs: numpy releases the GIL in the
    encoder, so this Python work costs no extra time (issue 3: batch >= 200 messages/s)."""
    cleaned = [clean_text(t, field="text", max_chars=MAX_CHARS) for t in texts]
    if not cleaned:
        return []
    with ThreadPoolExecutor(1) as side:
        readings = side.submit(lambda: [_read(t) for t in cleaned])
        scores = _score_batch(cleaned)
        return [_build(r, s, context) for r, s in zip(readings.result(), scores, strict=True)]
