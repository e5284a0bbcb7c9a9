"""The trained heads: features (MiniLM + TF-IDF word/char n-grams + VADER) and linear classifiers.

Artifacts are plain arrays (`artifacts/heads.npz`) and vocabularies (`artifacts/vocab.json`); no pickles.
Two variants are shipped: `full` (with MiniLM embeddings) and `lite` (TF-IDF + VADER only), used when the
MiniLM weights are not installed.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from accord.triage import embed

ARTIFACTS = Path(__file__).parent / "artifacts"
VERSION = "triage-1"
HEADS = ("complaint", "severity", "anger")
EMB_WEIGHT = 2.0  # scale of the embedding block next to the TF-IDF blocks
WORD_PARAMS: dict[str, Any] = {"ngram_range": (1, 2), "min_df": 2, "sublinear_tf": True}
CHAR_PARAMS: dict[str, Any] = {
    "analyzer": "char_wb",
    "ngram_range": (2, 5),
    "min_df": 2,
    "sublinear_tf": True,
}
_VADER = SentimentIntensityAnalyzer()
_LOCK = threading.Lock()


def vader(texts: list[str]) -> np.ndarray:
    """VADER neg/neu/pos/compound for each text."""
    rows = [_VADER.polarity_scores(t) for t in texts]
    return np.array([[r["neg"], r["neu"], r["pos"], r["compound"]] for r in rows], dtype=np.float32)


@dataclass
class Featurizer:
    """TF-IDF word + char n-grams, VADER and (for the full variant) MiniLM embeddings."""

    word: TfidfVectorizer
    char: TfidfVectorizer

    @classmethod
    def fit(cls, texts: list[str]) -> Featurizer:
        return cls(TfidfVectorizer(**WORD_PARAMS).fit(texts), TfidfVectorizer(**CHAR_PARAMS).fit(texts))

    def transform(self, texts: list[str], emb: np.ndarray | None) -> csr_matrix:
        blocks = [self.word.transform(texts), self.char.transform(texts), csr_matrix(vader(texts))]
        if emb is not None:
            blocks.append(csr_matrix(emb * EMB_WEIGHT))
        return hstack(blocks).tocsr()

    def state(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        vocab = {
            name: {k: int(v) for k, v in vec.vocabulary_.items()}
            for name, vec in (("word", self.word), ("char", self.char))
        }
        return vocab, {
            "idf_word": self.word.idf_.astype(np.float32),
            "idf_char": self.char.idf_.astype(np.float32),
        }

    @classmethod
    def from_state(cls, vocab: dict[str, Any], arrays: Any) -> Featurizer:
        vecs = []
        for name, params in (("word", WORD_PARAMS), ("char", CHAR_PARAMS)):
            vec = TfidfVectorizer(**{**params, "min_df": 1}, vocabulary=vocab[name])
            vec.idf_ = np.asarray(arrays[f"idf_{name}"], dtype=np.float64)
            vecs.append(vec)
        return cls(vecs[0], vecs[1])


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
class Model:
    """A featurizer and the three heads of one variant."""

    variant: str
    features: Featurizer
    heads: dict[str, Head]

    @property
    def version(self) -> str:
        return f"{VERSION}+{'minilm' if self.variant == 'full' else 'tfidf-only'}"

    def predict(self, texts: list[str]) -> dict[str, np.ndarray]:
        """Probabilities per head: complaint (n,), severity (n, 4 for levels 1-4), anger (n,)."""
        emb = embed.embed(texts) if self.variant == "full" else None
        x = self.features.transform(texts, emb)
        return {
            "complaint": self.heads["complaint"].proba(x)[:, 1],
            "severity": self.heads["severity"].proba(x),
            "anger": self.heads["anger"].proba(x)[:, 1],
        }


def save(models: dict[str, Model], folder: Path = ARTIFACTS) -> None:
    """Write both variants as arrays + JSON vocabularies."""
    folder.mkdir(parents=True, exist_ok=True)
    arrays: dict[str, np.ndarray] = {}
    vocabs: dict[str, Any] = {}
    for variant, m in models.items():
        vocab, idf = m.features.state()
        vocabs[variant] = vocab
        arrays.update({f"{variant}.{k}": v for k, v in idf.items()})
        for name, h in m.heads.items():
            arrays[f"{variant}.{name}.coef"] = h.coef.astype(np.float32)
            arrays[f"{variant}.{name}.intercept"] = h.intercept.astype(np.float32)
            arrays[f"{variant}.{name}.classes"] = h.classes
    np.savez_compressed(folder / "heads.npz", **arrays)  # type: ignore[arg-type]
    (folder / "vocab.json").write_text(
        json.dumps(vocabs, ensure_ascii=False, sort_keys=True), encoding="utf-8"
    )


def load(variant: str, folder: Path = ARTIFACTS) -> Model:
    """Read one variant from the artifacts."""
    vocabs = json.loads((folder / "vocab.json").read_text(encoding="utf-8"))
    with np.load(folder / "heads.npz") as npz:
        arrays = {k: npz[k] for k in npz.files if k.startswith(variant + ".")}
    strip = {k[len(variant) + 1 :]: v for k, v in arrays.items()}
    heads = {
        name: Head(strip[f"{name}.coef"], strip[f"{name}.intercept"], strip[f"{name}.classes"])
        for name in HEADS
    }
    return Model(variant, Featurizer.from_state(vocabs[variant], strip), heads)


@lru_cache(maxsize=2)
def _cached(variant: str) -> Model:
    return load(variant)


def get_model() -> Model:
    """The shipped model: the full variant when MiniLM is installed, else the TF-IDF-only one."""
    with _LOCK:
        return _cached("full" if embed.available() else "lite")
