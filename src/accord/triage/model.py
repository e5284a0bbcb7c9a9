"""The shipped triage models and how they are run.

Two variants ship as plain arrays and JSON (no pickles):
- `lite`: TF-IDF word/char n-grams + VADER with linear heads (`heads.npz`, `vocab.json`). scikit-learn
  fits it; it runs on numpy and scipy alone (`ngrams.py`), and is the fallback when the MiniLM weights are
  not installed.
- `full`: MiniLM with all its layers fine-tuned for complaint, severity and anger together, emotion,
  sentiment and severity's order (>= 2, >= 3, >= 4) helping as auxiliary tasks (`tuned.npz`, a soup of
  three runs, `accord_training.tuning.fit_soup`; numpy `embed.Encoder` runs it), blended with the lite heads'
  probabilities (weight `blend`, chosen by cross-validation: the n-grams catch wording the encoder smooths
  over).
"""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix, hstack
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from accord.triage import embed
from accord.triage.ngrams import Vectorizer

ARTIFACTS = Path(__file__).parent / "artifacts"
VERSION = "triage-6"
HEADS = ("complaint", "severity", "anger")
WORD_PARAMS: dict[str, Any] = {"ngram_range": (1, 2), "min_df": 2, "sublinear_tf": True}
CHAR_PARAMS: dict[str, Any] = {
    "analyzer": "char_wb",
    "ngram_range": (2, 5),
    "min_df": 2,
    "sublinear_tf": True,
}
_VADER = SentimentIntensityAnalyzer()
_LOCK = threading.Lock()
OVERLAP_MIN = 32  # batches from this size compute the lite features on a side thread


def vader(texts: list[str]) -> np.ndarray:
    """VADER neg/neu/pos/compound for each text."""
    return np.array([_vader_one(t) for t in texts], dtype=np.float32)


@lru_cache(maxsize=2048)
def _vader_one(text: str) -> tuple[float, float, float, float]:
    """Cached: triage asks for the same message's scores twice (model features, then the sentiment)."""
    r = _VADER.polarity_scores(text)
    return r["neg"], r["neu"], r["pos"], r["compound"]


@dataclass
class Tuned:
    """What ships: the tuned top layers (embed.LAYER_KEYS layout) and the heads (DIM x N_LOGITS; run time
    reads only the first 8, so artifacts of other widths load too)."""

    top: list[dict[str, np.ndarray]]
    head_w: np.ndarray
    head_b: np.ndarray

    def logits(self, pooled: np.ndarray) -> np.ndarray:
        return np.asarray(pooled @ self.head_w + self.head_b, dtype=np.float32)


@dataclass
class Featurizer:
    """TF-IDF word + char n-grams and VADER. Fitted with scikit-learn (`accord_training`), run without it."""

    word: Vectorizer
    char: Vectorizer

    def transform(self, texts: list[str]) -> csr_matrix:
        blocks = [self.word.transform(texts), self.char.transform(texts), csr_matrix(vader(texts))]
        return hstack(blocks).tocsr()

    def state(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        parts = {"word": self.word, "char": self.char}
        vocab = {name: vec.vocabulary for name, vec in parts.items()}
        return vocab, {f"idf_{name}": vec.idf.astype(np.float32) for name, vec in parts.items()}

    @classmethod
    def from_state(cls, vocab: dict[str, Any], arrays: Any) -> Featurizer:
        word, char = (
            Vectorizer(
                params.get("analyzer", "word"), params["ngram_range"], vocab[name], arrays[f"idf_{name}"]
            )
            for name, params in (("word", WORD_PARAMS), ("char", CHAR_PARAMS))
        )
        return cls(word, char)


@dataclass
class Head:
    """A linear classifier: binary (one row of weights) or multi-class (softmax)."""

    coef: np.ndarray
    intercept: np.ndarray
    classes: np.ndarray

    def proba(self, x: csr_matrix) -> np.ndarray:
        z = np.asarray(x @ self.coef.T) + self.intercept
        if self.coef.shape[0] == 1:
            p = 1.0 / (1.0 + np.exp(-z[:, 0]))
            return np.stack([1 - p, p], axis=1)
        z = np.exp(z - z.max(1, keepdims=True))
        return np.asarray(z / z.sum(1, keepdims=True))


@dataclass
class LiteModel:
    """The TF-IDF + VADER featurizer and its three linear heads."""

    features: Featurizer
    heads: dict[str, Head]

    def predict(self, texts: list[str]) -> dict[str, np.ndarray]:
        """Probabilities per head: complaint (n,), severity (n, 4 for levels 1-4), anger (n,)."""
        x = self.features.transform(texts)
        return {
            "complaint": self.heads["complaint"].proba(x)[:, 1],
            "severity": self.heads["severity"].proba(x),
            "anger": self.heads["anger"].proba(x)[:, 1],
        }


def softmax(z: np.ndarray) -> np.ndarray:
    z = np.exp(z - z.max(1, keepdims=True))
    return np.asarray(z / z.sum(1, keepdims=True))


def tuned_probs(logits: np.ndarray) -> dict[str, np.ndarray]:
    """Head probabilities from the tuned network's first 8 logits (complaint 2, severity 4, anger 2); the
    auxiliary emotion and sentiment logits after them only helped training."""
    return {
        "complaint": softmax(logits[:, 0:2])[:, 1],
        "severity": softmax(logits[:, 2:6]),
        "anger": softmax(logits[:, 6:8])[:, 1],
    }


def blend(tuned: dict[str, np.ndarray], lite: dict[str, np.ndarray], weight: float) -> dict[str, np.ndarray]:
    """(1 - weight) * tuned + weight * lite, head by head."""
    return {k: (1.0 - weight) * tuned[k] + weight * lite[k] for k in tuned}


@dataclass
class Model:
    """One shipped variant: the lite model, plus (full variant) the tuned encoder, its heads and blend."""

    variant: str
    lite: LiteModel
    tuned: Tuned | None = None
    blend: float = 0.0

    @property
    def version(self) -> str:
        return f"{VERSION}+{'minilm-tuned' if self.tuned is not None else 'tfidf-only'}"

    @cached_property
    def encoder(self) -> embed.Encoder:
        assert self.tuned is not None
        return embed.require_encoder().with_top(self.tuned.top)

    def predict(self, texts: list[str]) -> dict[str, np.ndarray]:
        """Probabilities per head: complaint (n,), severity (n, 4 for levels 1-4), anger (n,)."""
        if self.tuned is None:
            return self.lite.predict(texts)
        if len(texts) < OVERLAP_MIN:
            lite, pooled = self.lite.predict(texts), self.encoder.pooled(texts, batch_size=64)
        else:  # the n-gram features are Python work: do them while numpy runs the encoder without the GIL
            with ThreadPoolExecutor(1) as side:
                later = side.submit(self.lite.predict, texts)
                pooled = self.encoder.pooled(texts, batch_size=64)
                lite = later.result()
        return blend(tuned_probs(self.tuned.logits(pooled)), lite, self.blend)


def save(lite: LiteModel, tuned: Tuned | None, blend_weight: float, folder: Path = ARTIFACTS) -> None:
    """Write the lite model (heads.npz + vocab.json) and the tuned one (tuned.npz, float16 layers)."""
    folder.mkdir(parents=True, exist_ok=True)
    vocab, arrays = lite.features.state()
    for name, h in lite.heads.items():
        arrays[f"{name}.coef"] = h.coef.astype(np.float32)
        arrays[f"{name}.intercept"] = h.intercept.astype(np.float32)
        arrays[f"{name}.classes"] = h.classes
    np.savez_compressed(folder / "heads.npz", **arrays)  # type: ignore[arg-type]
    (folder / "vocab.json").write_text(
        json.dumps(vocab, ensure_ascii=False, sort_keys=True), encoding="utf-8"
    )
    if tuned is None:
        return
    tuned_arrays: dict[str, np.ndarray] = {
        f"top{i}.{k}": v.astype(np.float16) for i, layer in enumerate(tuned.top) for k, v in layer.items()
    }
    tuned_arrays.update(head_w=tuned.head_w, head_b=tuned.head_b, blend=np.array(blend_weight, np.float32))
    np.savez_compressed(folder / "tuned.npz", **tuned_arrays)  # type: ignore[arg-type]


def load_lite(folder: Path = ARTIFACTS) -> LiteModel:
    vocab = json.loads((folder / "vocab.json").read_text(encoding="utf-8"))
    with np.load(folder / "heads.npz") as npz:
        arrays = {k: npz[k] for k in npz.files}
    heads = {
        name: Head(arrays[f"{name}.coef"], arrays[f"{name}.intercept"], arrays[f"{name}.classes"])
        for name in HEADS
    }
    return LiteModel(Featurizer.from_state(vocab, arrays), heads)


def load_tuned(folder: Path = ARTIFACTS) -> tuple[Tuned, float]:
    with np.load(folder / "tuned.npz") as npz:
        arrays = {k: npz[k] for k in npz.files}
    count = len({k.split(".")[0] for k in arrays if k.startswith("top")})
    top = [
        {k.split(".", 1)[1]: v.astype(np.float32) for k, v in arrays.items() if k.startswith(f"top{i}.")}
        for i in range(count)
    ]
    return Tuned(top, arrays["head_w"], arrays["head_b"]), float(arrays["blend"])


def load(variant: str, folder: Path = ARTIFACTS) -> Model:
    """Read one variant from the artifacts (full falls back to lite when tuned.npz is absent)."""
    lite = load_lite(folder)
    if variant == "lite" or not (folder / "tuned.npz").exists():
        return Model("lite", lite)
    tuned, weight = load_tuned(folder)
    return Model("full", lite, tuned, weight)


@lru_cache(maxsize=2)
def _cached(variant: str) -> Model:
    return load(variant)


def get_model() -> Model:
    """The shipped model: the full variant when MiniLM is installed, else the TF-IDF-only one."""
    with _LOCK:
        return _cached("full" if embed.available() else "lite")
