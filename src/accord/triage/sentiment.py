"""VADER sentiment, cached: the lite features, the threat cues' tone (`scope`) and the triage's sentiment
all read it, often for the same text twice, so it lives below both the model and the scopes."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

_VADER = SentimentIntensityAnalyzer()


def vader(texts: list[str]) -> np.ndarray:
    """VADER neg/neu/pos/compound for each text."""
    return np.array([_vader_one(t) for t in texts], dtype=np.float32)


@lru_cache(maxsize=4096)
def _vader_one(text: str) -> tuple[float, float, float, float]:
    """Cached: triage asks for the same message's scores twice (model features, then the sentiment)."""
    r = _VADER.polarity_scores(text)
    return r["neg"], r["neu"], r["pos"], r["compound"]
