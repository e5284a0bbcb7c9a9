"""How each threat head mixes the whole message with its most threatening sentence, and its threshold.

Why: a threat stated in one sentence of a longer message ("...the retainer ends today. Our lawyers will be
in touch") is diluted when the message is scored as a whole, while a sentence alone loses the context that
turns it around ("...nothing to do with you"). Both are scored out of fold on the corpus' train split
(the 5 folds `corpus_training.choose` already fits), and the share of the sentence score and the
threshold with the best F1 there are kept (`model.Corpus.judging`). The test split is never read here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from accord.triage import signals

SHARES = (0.0, 0.25, 0.5, 0.75, 1.0)  # weight of the best sentence's score next to the whole message's
# A sentence share must beat none by this much out-of-fold F1 to be kept: any share makes triage encode
# every sentence (p50 per message 12 ms -> 23-30 ms against the 25 ms target), and the gains it won were
# ties within fold noise (ninth session: legal 0.861 either way; tenth: review's quarter share on batch
# 23c cost 30 ms per message).
SHARE_MARGIN = 0.005
THRESHOLDS = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7)


@dataclass
class Sentences:
    """The sentences of the messages that have several, each with the index of its message."""

    texts: list[str]
    owner: np.ndarray
    pooled: np.ndarray | None = None  # their frozen encoder states (training, with MiniLM installed)
    flags: np.ndarray | None = None  # the scopes of their threat cues (`scope.matrix`)
    message_flags: np.ndarray | None = None  # ... and of the whole messages'

    @classmethod
    def of(cls, texts: list[str]) -> Sentences:
        out, owner = [], []
        for i, text in enumerate(texts):
            spans = signals.sentences(text)
            if len(spans) > 1:
                out += [text[a:b] for a, b in spans]
                owner += [i] * len(spans)
        return cls(out, np.array(owner, dtype=int))


def best_sentence(whole: np.ndarray, sentences: Sentences, probs: np.ndarray) -> np.ndarray:
    """Per message, its highest sentence probability (the whole message's where it has one sentence)."""
    out = whole.copy()
    seen = np.zeros(len(whole), dtype=bool)
    for i, p in zip(sentences.owner, probs, strict=True):
        out[i] = p if not seen[i] else max(out[i], p)
        seen[i] = True
    return out


def weighted_f1(y: np.ndarray, pred: np.ndarray, w: np.ndarray | None = None) -> float:
    """F1 of the positive class, each row counting its weight (all 1 when `w` is None)."""
    w = np.ones(len(y)) if w is None else w
    tp = float((w * (pred & (y == 1))).sum())
    return 2 * tp / max(float((w * pred).sum() + (w * (y == 1)).sum()), 1.0)


def choose_mix(
    y: np.ndarray, whole: np.ndarray, sentence: np.ndarray, w: np.ndarray | None = None
) -> tuple[float, float, float]:
    """(sentence share, threshold, out-of-fold F1, rows weighted by `w`): the best F1; ties go to less
    sentence and 0.5, and a share that beats the whole message alone by less than SHARE_MARGIN is not worth
    its encoding time."""
    best = plain = (-1.0, 0.0, 0.5)
    for share in SHARES:
        p = (1 - share) * whole + share * sentence
        for at in THRESHOLDS:
            f1 = round(weighted_f1(y, p >= at, w), 4)
            if (f1, -share, -abs(at - 0.5)) > (best[0], -best[1], -abs(best[2] - 0.5)):
                best = (f1, share, at)
            if share == 0 and (f1, -abs(at - 0.5)) > (plain[0], -abs(plain[2] - 0.5)):
                plain = (f1, share, at)
    if best[0] - plain[0] < SHARE_MARGIN:
        best = plain
    return best[1], best[2], best[0]
