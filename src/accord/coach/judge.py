"""Learnt judgement per family: MiniLM sentence embeddings, a logistic head per family, blended with the
phrase rules and calibrated into a confidence (issue 19; P13, P14, P16, P17).

The heads ship as plain arrays (`artifacts/judge.npz`, written by the coach's training code) and are
scored with numpy. Each reply is cut into sentences; each sentence gets one logit per family from its
embedding (the triage's MiniLM encoder, no torch), and the reply one logit per family from the mean and
max of its sentence embeddings (a tone no single sentence carries). A per-family calibrator, fitted on
out-of-fold logits, turns [sentence logit, phrase rule hit in that sentence, reply logit] into a
probability, so a finding's confidence says how often a careful editor agreed. `warn_at` per family
was chosen on the validation split for precision >= 0.8.

For a text of 15 words or more the six language families are decided by the reply-level heads
(`reply_head.py`, carried in `Heads.reply` with their own thresholds); the sentence heads then only point
at the sentence a finding quotes. Completeness families (missing_*) use "presence" heads (this sentence
acknowledges / empathises / gives a step) and the client's message they answer; see `completeness.py`.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from accord.coach import cues, reply_head, tuned
from accord.coach.tuned import TunedNet
from accord.triage import embed

ARTIFACTS = Path(__file__).parent / "artifacts"
HEADS_FILE = ARTIFACTS / "judge.npz"
META_FILE = ARTIFACTS / "judge.json"
LANGUAGE = ("non_apology", "double_talk", "evasive_passive", "blame_or_excuse", "condescension", "hedging")
COMPLETENESS = ("missing_acknowledgement", "missing_empathy", "missing_next_step")
# Calibrator inputs: [sentence logit, phrase rule, client similarity, word overlap, reply logit, 1]
CALIB_FEATURES = 6
CACHE_SIZE = 4096  # sentences; training raises it (set_cache_size)
# The encoder layer whose mean-pooled states the heads read: the base MiniLM's layer 3, as triage's frozen
# heads do. Half the encoder runs, which keeps a cold 200-word check under 150 ms (issue 19, item 5);
# heads trained on another layer are not loaded (rules only), since their weights would not fit.
ENCODER_LAYER = 3
MAX_SENTENCE_CHARS = 600
# Sentences per encoder batch (length-sorted): a reply's sentences vary in length, and every padded token
# costs as much as a real one in the dense layers; batches of 8 cut a cold 200-word check by about a
# sixth against 64 (benchmarks/coach_speed.py), which the tuned layers need.
ENCODE_BATCH = 8
_LOCK = threading.Lock()


@dataclass(frozen=True)
class Sentence:
    """One sentence of the reply with its offsets in the original text."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Heads:
    """The shipped heads: one logistic row per family over the 384-d embedding, and its calibrator."""

    families: tuple[str, ...]
    weights: np.ndarray  # (F, 384) sentence heads
    bias: np.ndarray  # (F,)
    reply_weights: np.ndarray  # (F, 768) reply heads over [mean, max] of the sentence embeddings
    reply_bias: np.ndarray  # (F,)
    calib: np.ndarray  # (F, CALIB_FEATURES)
    warn_at: dict[str, float]
    version: str
    rule_prior: dict[str, float] = field(default_factory=dict)  # how often a phrase hit was right (train)
    layer: int = ENCODER_LAYER  # the encoder layer the heads were trained on
    reply: reply_head.ReplyHead | None = None  # reply-level heads, with their own warn_at (blend.py)
    tuned_net: TunedNet | None = None  # the tuned layers, read when the reply heads were trained with them

    def tuned_logits(self, texts: list[str]) -> np.ndarray:
        """The tuned network's reply logits for these sentences, or none when the reply heads do not read
        them (heads trained without the block)."""
        if self.tuned_net is None or self.reply is None or not self.reply.reads_tuned:
            return np.zeros(0)
        return self.tuned_net.reply_logits(tuned_vectors(texts))

    def index(self, family: str) -> int:
        return self.families.index(family)

    def logits(self, emb: np.ndarray) -> np.ndarray:
        """(sentences, families) head logits."""
        return np.asarray(emb @ self.weights.T + self.bias, dtype=np.float64)

    def reply_logits(self, emb: np.ndarray) -> np.ndarray:
        """(families,) reply-head logits: the whole reply's tone, which no single sentence may carry."""
        return np.asarray(reply_features(emb) @ self.reply_weights.T + self.reply_bias, dtype=np.float64)

    def confidence(self, family: str, features: np.ndarray) -> np.ndarray:
        """Calibrated probability for rows of calibrator features (last column is the constant 1)."""
        z = features @ self.calib[self.index(family)]
        return np.asarray(1.0 / (1.0 + np.exp(-np.clip(z, -30, 30))))

    def trusted(self, family: str) -> bool:
        """A threshold reached precision >= 0.8 on validation; otherwise the phrase rules decide alone."""
        return family in self.families and self.warn_at.get(family, 2.0) <= 1.0

    def warns(self, family: str, conf: float) -> bool:
        """At or above the family's threshold: `warn`; below it a finding is at most `info`."""
        return conf >= self.warn_at.get(family, 2.0)


def reply_features(emb: np.ndarray) -> np.ndarray:
    """[mean, max] of a reply's sentence embeddings (zeros for a reply with no sentence)."""
    if len(emb) == 0:
        return np.zeros(2 * embed.DIM, dtype=np.float32)
    return np.concatenate([emb.mean(0), emb.max(0)])


def sentences(masked: str) -> list[Sentence]:
    """Sentences with letters in them, whitespace trimmed, offsets into the text."""
    found = []
    for m in cues.SENTENCE.finditer(masked):
        raw = m.group(0)
        lead = len(raw) - len(raw.lstrip())
        body = raw.strip()
        if body and any(ch.isalpha() for ch in body):
            start = m.start() + lead
            found.append(Sentence(start, start + len(body), body))
    return found


@lru_cache(maxsize=1)
def load_heads() -> Heads | None:
    """The shipped heads, or None when they (or the MiniLM weights) are not installed: rules only then."""
    if not (HEADS_FILE.exists() and META_FILE.exists() and embed.available()):
        return None
    meta = json.loads(META_FILE.read_text(encoding="utf-8"))
    if int(meta.get("layer", embed.LAYERS)) != ENCODER_LAYER:
        return None
    with np.load(HEADS_FILE) as arrays:
        return Heads(
            families=tuple(meta["families"]),
            weights=arrays["weights"].astype(np.float32),
            bias=arrays["bias"].astype(np.float32),
            reply_weights=arrays["reply_weights"].astype(np.float32),
            reply_bias=arrays["reply_bias"].astype(np.float32),
            calib=arrays["calib"].astype(np.float64),
            warn_at={k: float(v) for k, v in meta["warn_at"].items()},
            version=str(meta["version"]),
            rule_prior={k: float(v) for k, v in meta.get("rule_prior", {}).items()},
            layer=ENCODER_LAYER,
            reply=reply_head.load(),
            tuned_net=tuned.load(),
        )


_CACHE: OrderedDict[str, np.ndarray] = OrderedDict()
_TUNED: OrderedDict[str, np.ndarray] = OrderedDict()  # sentence -> vector after the tuned layers
_LIMIT = [CACHE_SIZE]


def set_cache_size(size: int) -> None:
    """Training embeds tens of thousands of sentences once and keeps them all."""
    _LIMIT[0] = size


def embed_texts(texts: list[str]) -> np.ndarray:
    """Unit sentence embeddings, cached per text: live checking re-embeds only the sentences typed anew."""
    out = np.zeros((len(texts), embed.DIM), dtype=np.float32)
    keys = [t[:MAX_SENTENCE_CHARS] for t in texts]
    with _LOCK:
        known = {k: _CACHE[k] for k in keys if k in _CACHE}
        for k in known:
            _CACHE.move_to_end(k)
    todo = sorted({k for k in keys if k not in known})
    if todo:
        fresh = encode(todo)
        with _LOCK:
            for k, row in zip(todo, fresh, strict=True):
                known[k] = row
                _CACHE[k] = row
            while len(_CACHE) > _LIMIT[0]:
                _CACHE.popitem(last=False)
    for i, k in enumerate(keys):
        out[i] = known[k]
    return out


def encode(texts: list[str]) -> np.ndarray:
    """Unit vectors of the mean-pooled ENCODER_LAYER states, all texts in one length-sorted batch run; with
    the tuned layers installed, the same pass goes on through them and caches their vectors too."""
    return _encode_both(texts)[0]


def _encode_both(texts: list[str]) -> tuple[np.ndarray, np.ndarray | None]:
    """encode()'s unit vectors and, with the tuned layers installed, the tuned vectors of the same pass
    (also cached, so live checking re-runs neither for a sentence already typed)."""
    net = tuned.load()
    tuned_rows = None
    if net is None or net.base != ENCODER_LAYER:
        pooled = embed.require_encoder().pooled(texts, batch_size=ENCODE_BATCH, layers=(ENCODER_LAYER,))
    else:
        both = net.encoder().pooled(texts, batch_size=ENCODE_BATCH, layers=(ENCODER_LAYER, net.top))
        pooled, tuned_rows = both[:, : embed.DIM], both[:, embed.DIM :]
        with _LOCK:
            for k, row in zip(texts, tuned_rows, strict=True):
                _TUNED[k] = row
            while len(_TUNED) > _LIMIT[0]:
                _TUNED.popitem(last=False)
    unit = np.asarray(pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12))
    return unit, tuned_rows


def tuned_vectors(texts: list[str]) -> np.ndarray:
    """Mean-pooled states after the tuned layers, per sentence (cut and cached as `embed_texts` does).
    Rows are taken out of the cache before anything new is encoded: encoding evicts the oldest entries,
    which a long-running desk reaches after CACHE_SIZE sentences."""
    keys = [t[:MAX_SENTENCE_CHARS] for t in texts]
    with _LOCK:
        known = {k: _TUNED[k] for k in keys if k in _TUNED}
        for k in known:
            _TUNED.move_to_end(k)
    todo = sorted({k for k in keys if k not in known})
    if todo:
        tuned_rows = _encode_both(todo)[1]
        if tuned_rows is None:
            raise RuntimeError("the tuned layers are not installed for the coach's encoder layer")
        known.update(zip(todo, tuned_rows, strict=True))
    return np.array([known[k] for k in keys], dtype=np.float32).reshape(len(keys), embed.DIM)


def remember(text: str, row: np.ndarray) -> None:
    """Put a known embedding in the cache (training reuses embeddings between runs)."""
    with _LOCK:
        _CACHE[text[:MAX_SENTENCE_CHARS]] = np.asarray(row, dtype=np.float32)


def cached() -> tuple[list[str], np.ndarray]:
    """Everything in the cache, for training to keep between runs."""
    with _LOCK:
        keys = list(_CACHE)
        return keys, np.array([_CACHE[k] for k in keys], dtype=np.float32).reshape(len(keys), embed.DIM)


@dataclass
class Judged:
    """A reply's sentences, their embeddings and head logits: computed once per check."""

    sentences: list[Sentence]
    emb: np.ndarray
    logits: np.ndarray
    reply: np.ndarray  # (families,) reply-head logits
    tuned: np.ndarray = field(default_factory=lambda: np.zeros(0))  # the tuned network's reply logits

    def rule_hits(self, spans: list[tuple[int, int]]) -> np.ndarray:
        """1.0 for each sentence that overlaps one of the spans."""
        hits = np.zeros(len(self.sentences))
        for i, s in enumerate(self.sentences):
            if any(a < s.end and b > s.start for a, b in spans):
                hits[i] = 1.0
        return hits


def judge(heads: Heads, masked: str) -> Judged:
    """Embed and score every sentence of the (quote-masked) reply."""
    sents = sentences(masked)
    if not sents:
        empty = np.zeros((0, embed.DIM), np.float32)
        return Judged([], empty, np.zeros((0, len(heads.families))), heads.reply_logits(empty))
    texts = [s.text for s in sents]
    emb = embed_texts(texts)
    return Judged(sents, emb, heads.logits(emb), heads.reply_logits(emb), heads.tuned_logits(texts))


def language_confidence(heads: Heads, judged: Judged, family: str, hits: np.ndarray) -> np.ndarray:
    """Per-sentence calibrated confidence that the sentence shows `family`; a phrase hit of a family whose
    phrases the training split seldom saw counts at least `rule_prior` (hand-checked phrases)."""
    n = len(judged.sentences)
    feats = np.zeros((n, CALIB_FEATURES))
    feats[:, 0] = judged.logits[:, heads.index(family)] if n else 0.0
    feats[:, 1] = hits
    feats[:, 4] = judged.reply[heads.index(family)]
    feats[:, -1] = 1.0
    conf = heads.confidence(family, feats)
    return np.where(hits > 0, np.maximum(conf, heads.rule_prior.get(family, 0.0)), conf)
