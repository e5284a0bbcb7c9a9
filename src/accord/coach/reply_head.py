"""Reply-level judgement per language family: a logistic head over the whole reply (issue 19; P14, P16, P17).

Why per reply: an editor judges a reply, not a sentence ("this reply never owns the fault"), and the
corpus labels are per reply. The head reads features that transfer between registers:
- TF-IDF word 1-3-grams of the quote-masked reply (vocabulary and idf fitted on the training replies,
  reproduced without scikit-learn by `accord.triage.ngrams`);
- the MiniLM [mean, max] of the reply's sentence embeddings (the same layer-3 vectors `judge.py` computes,
  so they cost nothing extra);
- how often each phrase rule fired (log1p per rule) and which explainable phrase patterns fired (one
  column per regex, keyed by the regex text so an edited table only loses the edited columns);
- the reply's structure (`structure.py`: a vague time promise with no step or date anywhere, agentless
  passive clauses, reminders, conditional apologies), each column read only by its family's head.
Its probability is the family's confidence; `warn_at` per family was chosen on out-of-fold predictions of
the training and validation splits for precision >= 0.8 (never on test). The finding still quotes a span:
the phrase hit if there is one, else the sentence the sentence heads rank highest (blend.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from accord.coach.patterns import PHRASE_RULES
from accord.triage import embed
from accord.triage.ngrams import Vectorizer

HEAD_FILE = Path(__file__).parent / "artifacts" / "reply.npz"
META_FILE = Path(__file__).parent / "artifacts" / "reply.json"
RULE_NAMES = tuple(rule.rule for rule in PHRASE_RULES)
PATTERN_KEYS = tuple(regex for rule in PHRASE_RULES for regex, _ in rule.patterns)
BLOCKS = ("tfidf", "emb", "rule", "pattern", "structure")
# The corpus holds almost no reply under 15 words (2 of 614 in train+val): below it the head would guess.
MIN_WORDS = 15


@dataclass(frozen=True)
class Evidence:
    """What one reply offers the head: its masked text, sentence embeddings and phrase matches."""

    masked: str
    emb: np.ndarray  # (sentences, 384)
    rule_counts: dict[str, int]  # rule name -> phrase hits
    patterns: frozenset[str]  # regex text of every phrase pattern that matched
    structure: dict[str, float] = field(default_factory=dict)  # structure.features of the masked reply
    tuned: np.ndarray = field(default_factory=lambda: np.zeros(0))  # the tuned network's logits (tuned.py)


@dataclass(frozen=True)
class ReplyHead:
    """The shipped reply heads: vocabulary, pattern columns, one weight row per family, thresholds."""

    families: tuple[str, ...]
    vectorizer: Vectorizer
    patterns: tuple[str, ...]
    scales: dict[str, float]
    weights: np.ndarray  # (F, D)
    bias: np.ndarray  # (F,)
    warn_at: dict[str, float]
    version: str
    # Phrase patterns an editor agreed with almost every time on train+val: they warn on their own, so a
    # cautious head does not silence a phrase that is nearly always a slip ("we will try our level best").
    trusted: dict[str, frozenset[str]] = field(default_factory=dict)
    # Structure columns (structure.KEYS) the heads were trained with; none for heads trained before them.
    structure: tuple[str, ...] = ()
    # The tuned network's families (the order of its logits) and, per family, the weight of its logit in
    # the blend (`accord.coach.tuned`; chosen out of fold on train+val); none for heads trained before it.
    tuned: tuple[str, ...] = ()
    tuned_weight: dict[str, float] = field(default_factory=dict)

    def features(self, ev: Evidence) -> np.ndarray:
        """One dense feature row, block by block in BLOCKS order, each block scaled as in training."""
        return features(ev, self.vectorizer, self.patterns, self.scales, self.structure)

    @property
    def reads_tuned(self) -> bool:
        return any(w > 0 for w in self.tuned_weight.values())

    def confidences(self, ev: Evidence) -> dict[str, float]:
        """Probability per family that an editor would flag this reply: the head's logit, blended with the
        tuned network's where a weight was chosen (and its logits were computed)."""
        z = self.weights @ self.features(ev) + self.bias
        z = blend(z, self.families, ev.tuned, self.tuned, self.tuned_weight)
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
        return {f: float(v) for f, v in zip(self.families, p, strict=True)}


def blend(
    z: np.ndarray,
    families: tuple[str, ...],
    tuned_logits: np.ndarray,
    tuned_families: tuple[str, ...],
    weight: dict[str, float],
) -> np.ndarray:
    """(1 - w) * head logit + w * tuned logit per family; unchanged where w is 0 or no logits came."""
    if len(tuned_logits) != len(tuned_families):
        return z
    out = np.array(z, dtype=np.float64)
    for i, family in enumerate(families):
        w = weight.get(family, 0.0)
        if w > 0 and family in tuned_families:
            out[i] = (1 - w) * out[i] + w * float(tuned_logits[tuned_families.index(family)])
    return out


def features(
    ev: Evidence,
    vec: Vectorizer,
    patterns: tuple[str, ...],
    scales: dict[str, float],
    structure: tuple[str, ...] = (),
) -> np.ndarray:
    """[tfidf | mean, max of sentence embeddings | log1p phrase hits per rule | pattern fired | structure],
    scaled."""
    tfidf = np.asarray(vec.transform([ev.masked]).toarray()[0])
    emb = np.concatenate([ev.emb.mean(0), ev.emb.max(0)]) if len(ev.emb) else np.zeros(2 * embed.DIM)
    rules = np.log1p([float(ev.rule_counts.get(name, 0)) for name in RULE_NAMES])
    pats = np.array([float(p in ev.patterns) for p in patterns])
    shape = np.array([ev.structure.get(key, 0.0) for key in structure])
    blocks = (tfidf, emb, rules, pats, shape)
    return np.concatenate([b * scales.get(name, 1.0) for name, b in zip(BLOCKS, blocks, strict=True)])


def load(head_file: Path = HEAD_FILE, meta_file: Path = META_FILE) -> ReplyHead | None:
    """The shipped reply heads, or None when they are not installed (the sentence heads decide then)."""
    if not (head_file.exists() and meta_file.exists()):
        return None
    meta = json.loads(meta_file.read_text(encoding="utf-8"))
    with np.load(head_file) as arrays:
        vocab = {gram: i for i, gram in enumerate(meta["vocabulary"])}
        vec = Vectorizer("word", tuple(meta["ngram_range"]), vocab, arrays["idf"])
        return ReplyHead(
            families=tuple(meta["families"]),
            vectorizer=vec,
            patterns=tuple(meta["patterns"]),
            scales={k: float(v) for k, v in meta["scales"].items()},
            weights=arrays["weights"].astype(np.float64),
            bias=arrays["bias"].astype(np.float64),
            warn_at={k: float(v) for k, v in meta["warn_at"].items()},
            version=str(meta["version"]),
            trusted={k: frozenset(v) for k, v in meta.get("trusted", {}).items()},
            structure=tuple(meta.get("structure", ())),
            tuned=tuple(meta.get("tuned", ())),
            tuned_weight={k: float(v) for k, v in meta.get("tuned_weight", {}).items()},
        )
