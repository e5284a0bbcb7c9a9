"""A small learnt judgement of haggling (P20): word and word-pair weights from a logistic regression.

Pure and lazy (rule 7): the weights load on first use from `artifacts/haggling.json`, built by
`python -m accord_training.haggling`. Every result carries the model version and the evidence (the
words that pushed the score up, with their spans). It backs up the phrase rules, which stay first.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any

ARTIFACT = Path(__file__).parent / "artifacts" / "haggling.json"
THRESHOLD = 0.8
_WORD = re.compile(r"[a-z0-9']+")
# Small words still count in the score but make poor evidence for a person to read.
_QUIET = frozenset(
    {"a", "an", "the", "we", "i", "you", "it", "is", "are", "be", "to", "of", "and", "or", "but", "that"}
    | {"this", "for", "on", "in", "at", "our", "us", "your", "my", "me", "so", "if", "with", "as", "was"}
    | {"will", "would", "can", "could", "do"}
)


def tokens(text: str) -> list[tuple[str, int, int]]:
    """Lower-case words with their spans, and adjacent word pairs ("full month") with the pair's span."""
    words = [(m.group(0), m.start(), m.end()) for m in _WORD.finditer(text.lower())]
    pairs = [(f"{a[0]} {b[0]}", a[1], b[2]) for a, b in pairwise(words)]
    return words + pairs


@lru_cache(maxsize=1)
def _model() -> dict[str, Any]:
    return dict(json.loads(ARTIFACT.read_text(encoding="utf-8")))


@dataclass(frozen=True)
class Judgement:
    """The probability that a reply bargains, the model version, and the evidence behind it."""

    probability: float
    version: str
    evidence: list[tuple[int, int, str]] = field(default_factory=list)

    @property
    def haggling(self) -> bool:
        """At or above the threshold the judgement counts as haggling."""
        return self.probability >= THRESHOLD


def judge(text: str) -> Judgement:
    """Score one client reply; the evidence is the three strongest features present, with spans."""
    model = _model()
    weights: dict[str, float] = model["weights"]
    present = {}
    for feature, start, end in tokens(text[:20_000]):
        if feature in weights and feature not in present:
            present[feature] = (start, end)
    score = float(model["bias"]) + sum(weights[f] for f in present)
    probability = 1 / (1 + math.exp(-max(min(score, 30.0), -30.0)))
    telling = [f for f in present if weights[f] > 0 and not set(f.split()) <= _QUIET]
    strongest = sorted(telling, key=lambda f: -weights[f])[:3]
    evidence = sorted((present[f][0], present[f][1], f) for f in strongest)
    return Judgement(round(probability, 3), str(model["version"]), evidence)
